import assert from "node:assert/strict";
import { createLogger, formatEntry } from "./log.ts";

Deno.test("formatEntry - writes one JSON object with the request id as request_id", () => {
  const line = formatEntry("info", "hello", { requestId: "r-1", route: "/x", n: 2 }, new Date(0));
  assert.equal(line.includes("\n"), false);
  assert.deepEqual(JSON.parse(line), {
    ts: "1970-01-01T00:00:00.000Z",
    level: "info",
    msg: "hello",
    request_id: "r-1",
    route: "/x",
    n: 2,
  });
});

Deno.test("formatEntry - serializes errors and bigints and cannot be spoofed by fields", () => {
  const error = Object.assign(new Error("boom"), { code: "23505" });
  const entry = JSON.parse(formatEntry("error", "failed", { error, rows: 5n, level: "debug", msg: "x" }));
  assert.equal(entry.level, "error");
  assert.equal(entry.msg, "failed");
  assert.equal(entry.error.message, "boom");
  assert.equal(entry.error.code, "23505");
  assert.equal(entry.rows, "5");
});

Deno.test("log.with - adds its fields to every line and respects the level", () => {
  const lines: [string, string][] = [];
  const log = createLogger({ sink: (level, line) => lines.push([level, line]), level: "info" });
  const requestLog = log.with({ requestId: "abc" });
  requestLog.debug("hidden");
  requestLog.warn("slow", { ms: 900 });
  log.error("plain");
  assert.equal(lines.length, 2);
  assert.equal(lines[0][0], "warn");
  assert.deepEqual(JSON.parse(lines[0][1]).request_id, "abc");
  assert.equal(JSON.parse(lines[0][1]).ms, 900);
  assert.equal(JSON.parse(lines[1][1]).request_id, undefined);
});

Deno.test("createLogger - two loggers keep their own sink and level", () => {
  const a: string[] = [];
  const b: string[] = [];
  const quiet = createLogger({ sink: (_level, line) => a.push(line), level: "error" });
  const chatty = createLogger({ sink: (_level, line) => b.push(line), level: "debug" });
  quiet.info("dropped");
  chatty.debug("kept");
  quiet.with({ requestId: "r" }).error("kept too");
  assert.deepEqual(a.map((line) => JSON.parse(line).msg), ["kept too"]);
  assert.deepEqual(b.map((line) => JSON.parse(line).msg), ["kept"]);
});
