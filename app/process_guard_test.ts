import assert from "node:assert/strict";
import { installProcessGuard, isPostgresWriteAfterClose } from "./process_guard.ts";
import { createLogger } from "@/core/log.ts";

Deno.test("isPostgresWriteAfterClose - only postgres.js' write on a closed socket", () => {
  const known = new TypeError("Cannot read properties of null (reading 'write')");
  known.stack =
    `${known.message}\n    at Immediate.nextWrite (file:///x/node_modules/postgres/src/connection.js:255:22)`;
  assert.equal(isPostgresWriteAfterClose(known), true);

  const elsewhere = new TypeError("Cannot read properties of null (reading 'write')");
  elsewhere.stack = `${elsewhere.message}\n    at handler (file:///x/routes/api/jobs.ts:1:1)`;
  assert.equal(isPostgresWriteAfterClose(elsewhere), false);
  assert.equal(isPostgresWriteAfterClose(new Error("reading 'write' postgres/src/connection.js")), false);
  assert.equal(isPostgresWriteAfterClose("boom"), false);
});

Deno.test("installProcessGuard - keeps the process alive for the known error only, logs it, and can be removed", () => {
  const lines: string[] = [];
  const remove = installProcessGuard(
    createLogger({ sink: (_level, line) => lines.push(line), level: "debug" }),
  );
  const known = new TypeError("Cannot read properties of null (reading 'write')");
  known.stack = `${known.message}\n    at nextWrite (file:///x/node_modules/postgres/src/connection.js:1:1)`;
  try {
    const guarded = new ErrorEvent("error", { error: known, cancelable: true });
    globalThis.dispatchEvent(guarded);
    assert.equal(guarded.defaultPrevented, true);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /the pool reconnects/);

    const other = new ErrorEvent("error", { error: new Error("boom"), cancelable: true });
    globalThis.dispatchEvent(other);
    assert.equal(other.defaultPrevented, false);
  } finally {
    remove();
  }
  const after = new ErrorEvent("error", { error: known, cancelable: true });
  globalThis.dispatchEvent(after);
  assert.equal(after.defaultPrevented, false, "removed: the error ends the process again");
});
