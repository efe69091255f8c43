import assert from "node:assert/strict";
import { useTestApp } from "./app.ts";
import { fixedClock } from "@/core/clock.ts";

Deno.test("useTestApp - two contexts have their own databases and pools", async () => {
  const a = await useTestApp("ctx_a", { overrides: { clock: fixedClock("2026-01-01T00:00:00Z") } });
  const b = await useTestApp("ctx_b");
  try {
    const [[one], [two]] = await Promise.all([
      a.app.sql`select current_database() as name`,
      b.app.sql`select current_database() as name`,
    ]);
    assert.notEqual(one.name, two.name);
    assert.equal(a.app.clock.now().toISOString(), "2026-01-01T00:00:00.000Z");
    assert.equal(a.app.config.env, "test");
    assert.equal(a.app.transport.name, "outbox");
  } finally {
    await a.close();
    await b.close();
  }
});
