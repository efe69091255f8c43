import assert from "node:assert/strict";
import { cronHandler } from "./cron.ts";
import { useTestApp } from "@/tests/helpers/app.ts";
import type { AppContext } from "@/services/app_context.ts";

Deno.test("cronHandler - waits for the app context boot builds, then runs the tick with it", async () => {
  const t = await useTestApp("cron");
  const runs = async () =>
    (await t.app.sql`select trigger::text as trigger, outcome::text as outcome from job_runs
                     where job = 'expire-jobs'`).map((r) => ({ ...r }));
  try {
    const booted = Promise.withResolvers<AppContext>();
    let settled = false;
    const firing = cronHandler({ app: booted.promise, lifecycle: t.app.lifecycle }, "expire-jobs")()
      .then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false, "still waiting for the app");
    assert.deepEqual(await runs(), []);
    booted.resolve(t.app);
    await firing;
    assert.deepEqual(await runs(), [{ trigger: "cron", outcome: "ok" }]);
  } finally {
    await t.close();
  }
});

Deno.test("cronHandler - once shutdown began, a firing runs nothing", async () => {
  const other = await useTestApp("cron_stopped");
  try {
    await other.app.lifecycle.drain(10);
    await cronHandler({ app: Promise.resolve(other.app), lifecycle: other.app.lifecycle }, "expire-jobs")();
    const [{ n }] = await other.app.sql`select count(*)::int as n from job_runs`;
    assert.equal(n, 0);
  } finally {
    await other.close();
  }
});
