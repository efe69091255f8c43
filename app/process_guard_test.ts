import assert from "node:assert/strict";
import { isPostgresWriteAfterClose } from "./process_guard.ts";

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
