/**
 * [e2e] `deno task worker` runs the scheduled jobs without HTTP (for
 * ROLEFERRY_CRON=off deployments), and an app process with ROLEFERRY_CRON=off
 * registers none. DENO_CRON_TEST_SCHEDULE_OFFSET makes every cron fire each second.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { TEST_ENV } from "@/tests/helpers/server.ts";

const db = await useAppDatabase("jobs_worker");

async function runFor(script: string, env: Record<string, string>, untilLine: RegExp, ms: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script],
    env: {
      ...TEST_ENV,
      PORT: "0",
      DATABASE_URL: db.url,
      DENO_CRON_TEST_SCHEDULE_OFFSET: "1000",
      NO_COLOR: "1",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const bytes of stream) {
      lines.push(...decoder.decode(bytes, { stream: true }).split("\n").filter(Boolean));
    }
  };
  const pumping = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !lines.some((l) => untilLine.test(l))) {
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGTERM");
  const status = await child.status;
  await pumping;
  return { status, lines };
}

Deno.test("[e2e] deno task worker - runs the jobs from Deno.cron, stops cleanly on SIGTERM", async () => {
  const { status, lines } = await runFor(
    "scripts/worker.ts",
    { ROLEFERRY_CRON: "off" },
    /"msg":"job run".*"job":"calculate-health".*"outcome":"ok"/,
    30_000,
  );
  assert.equal(status.code, 0, lines.join("\n"));
  assert.ok(lines.some((l) => l.includes('"msg":"worker started"')), lines.join("\n"));
  const runs = lines.filter((l) => l.includes('"msg":"job run"')).map((l) => JSON.parse(l));
  assert.ok(runs.some((r) => r.job === "calculate-health" && r.outcome === "ok" && r.trigger === "cron"));
  const [row] = await db.sql`select trigger, outcome from job_runs where job = 'calculate-health' limit 1`;
  assert.deepEqual(row, { trigger: "cron", outcome: "ok" });
  const [{ running }] = await db.sql`select count(*)::int as running from job_runs where outcome = 'running'`;
  assert.equal(running, 0);
});

Deno.test("[e2e] main.ts with ROLEFERRY_CRON=off - serves HTTP but registers no cron", async () => {
  await db.sql`delete from job_runs`;
  const { lines } = await runFor("main.ts", { ROLEFERRY_CRON: "off" }, /^\{"never"/, 6_000);
  assert.ok(lines.some((l) => l.includes('"msg":"listening"')), lines.join("\n"));
  assert.equal(lines.filter((l) => l.includes('"msg":"job run"')).length, 0);
  const [{ runs }] = await db.sql`select count(*)::int as runs from job_runs`;
  assert.equal(runs, 0);
});

Deno.test.afterAll(async () => {
  await db.drop();
});
