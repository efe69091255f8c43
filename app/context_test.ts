import assert from "node:assert/strict";
import { createAppContext } from "./context.ts";
import { loadConfig } from "@/fresh.config.ts";
import { createPool } from "@/db/client.ts";
import { createLogger } from "@/core/log.ts";

// postgres.js connects lazily: these contexts never query
const pool = () => createPool("postgres://nobody@127.0.0.1:1/none", { max: 1 });

Deno.test("createAppContext - two contexts share no metrics, replicas, lifecycle or logger", async () => {
  const config = loadConfig({ ROLEFERRY_ENV: "test", MAIL_TRANSPORT: "outbox" });
  const [sqlA, sqlB] = [pool(), pool()];
  const a = createAppContext(config, sqlA);
  const b = createAppContext(config, sqlB);
  try {
    a.metrics.recordEmail("sent", 3);
    assert.match(a.metrics.render(), /roleferry_emails_total\{outcome="sent"\} 3/);
    assert.doesNotMatch(b.metrics.render(), /roleferry_emails_total\{/);
    assert.equal(a.replicas.primary, sqlA, "reads fall back to the context's own pool");
    assert.equal(b.replicas.primary, sqlB);
    await a.lifecycle.drain(10);
    assert.equal(a.lifecycle.signal.aborted, true);
    assert.equal(b.lifecycle.signal.aborted, false, "one app's shutdown does not stop another's work");
    assert.notEqual(a.log, b.log);
  } finally {
    await sqlA.end();
    await sqlB.end();
  }
});

Deno.test("createAppContext - overrides replace the parts they name", async () => {
  const lines: string[] = [];
  const log = createLogger({ sink: (_level, line) => lines.push(line), level: "info" });
  const sql = pool();
  const app = createAppContext(loadConfig({ ROLEFERRY_ENV: "test" }), sql, { log });
  app.log.info("hello");
  assert.equal(JSON.parse(lines[0]).msg, "hello");
  await sql.end();
});
