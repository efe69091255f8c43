/**
 * The SIGKILL drill of the job registry: `deno task job expire-jobs` runs in a child process against `url`
 * while this test holds the jobs table locked, so the run claims its row and then blocks in the middle of
 * its work; `whileRunning` is called then, and the child is SIGKILLed (its `running` row stays behind).
 */
import type { Sql } from "@/db/client.ts";

export async function killJobMidRun(sql: Sql, url: string, whileRunning: () => Promise<void>): Promise<void> {
  const locker = await sql.reserve();
  await locker`begin`;
  await locker`lock table jobs in access exclusive mode`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/job.ts", "expire-jobs"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { DATABASE_URL: url, ROLEFERRY_ENV: "test", ROLEFERRY_SECRET: "x".repeat(40), NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    for (let i = 0;; i++) {
      const [running] = await sql`select 1 from job_runs where job = 'expire-jobs' and outcome = 'running'`;
      if (running) break;
      if (i > 1200) throw new Error("the child never claimed its run within a minute");
      await new Promise((r) => setTimeout(r, 50));
    }
    await whileRunning();
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await locker`rollback`;
    locker.release();
  }
}

/** Runs `run` until it answers "ok" or `ms` pass (PostgreSQL ends the dead backend a moment later). */
export async function untilOk<T extends { outcome: string }>(run: () => Promise<T>, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  while (true) {
    const result = await run();
    if (result.outcome === "ok" || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 50));
  }
}
