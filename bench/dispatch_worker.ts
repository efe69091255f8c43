/**
 * The dispatcher in a process of its own, started with `deno task worker`'s own runtime flags and the
 * worker's pool (db/client.ts `createPool`, as scripts/worker.ts makes it): what the dispatch benchmark times,
 * so the process's CPU time and peak resident memory are the dispatcher's and nothing else's (the benchmark
 * process, the fake Mailgun and PostgreSQL are other processes).
 *
 * Reads one JSON line of `WorkerArgs` on stdin; runs the dispatcher back to back (one cron tick stops after
 * its runtime budget) until `emails` are sent or nothing is claimed; prints one JSON line of `WorkerReport`.
 * CPU: `/proc/self/stat` for this process (every thread: V8, its GC, the I/O runtime), and for PostgreSQL
 * the postmaster and all its children (backends, WAL writer, autovacuum), ended ones included (the
 * postmaster's children's times), both read just before and just after the dispatch.
 */
import { createPool } from "@/db/client.ts";
import { createAppContext } from "@/app/context.ts";
import { dispatchOutreach } from "@/services/outreach/dispatcher.ts";
import type { DispatchResult } from "@/services/outreach/options.ts";
import { dispatchConfig } from "./dispatch_project.ts";
import { cpuMs, parentOf, peakRssMiB, serverCpuMs } from "./proc_stats.ts";

export interface WorkerArgs {
  url: string;
  fake: { url: string; apiKey: string };
  emails: number;
  concurrency: number;
  /** Pool size (scripts/worker.ts: 4). */
  pool: number;
  /**
   * "dispatcher" (default): `dispatchOutreach` with `concurrency`, back to back. "job": the worker's own path,
   * `runJob(app, "dispatch-outreach")` (jobs/registry.ts: the job-run lease, the production defaults,
   * 32 in flight) with jobs/cron.ts loaded as scripts/worker.ts loads it: for the memory of the process as
   * `deno task worker` runs the dispatch.
   */
  mode?: "dispatcher" | "job";
}

export interface WorkerReport {
  sent: number;
  batches: number;
  claimed: number;
  seconds: number;
  /** CPU of this process during the dispatch, ms. */
  denoCpuMs: number;
  /** CPU of the PostgreSQL server's processes during the dispatch, ms (null where /proc is missing). */
  pgCpuMs: number | null;
  /** Peak resident set of this process (VmHWM), MiB. */
  peakRssMiB: number;
}

if (import.meta.main) {
  const line = await new Response(Deno.stdin.readable).text();
  const args: WorkerArgs = JSON.parse(line);
  const config = await dispatchConfig(args.url, args.fake);
  const pool = createPool(args.url, { max: args.pool, application: "roleferry-worker" });
  const [{ pid }] = await pool<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const postmaster = parentOf(pid);
  const app = createAppContext(config, pool);
  const deno0 = cpuMs("self")!;
  const pg0 = postmaster ? serverCpuMs(postmaster) : null;
  const started = performance.now();
  const report = { sent: 0, batches: 0, claimed: 0 };
  const { runJob } = args.mode === "job" ? await import("@/jobs/registry.ts") : { runJob: undefined };
  if (runJob) await import("@/jobs/cron.ts");
  for (let tick = 0; tick < 20 && report.sent < args.emails; tick++) {
    const result = runJob
      ? ((await runJob(app, "dispatch-outreach", { trigger: "manual" })).result as DispatchResult)
      : await dispatchOutreach(app, { concurrency: args.concurrency, maxRuntimeMs: 120_000 });
    if (!result) throw new Error("the dispatch-outreach job did not run");
    report.sent += result.sent;
    report.batches += result.batches;
    report.claimed += result.claimed;
    if (result.claimed === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const deno1 = cpuMs("self")!;
  const pg1 = postmaster ? serverCpuMs(postmaster) : null;
  const out: WorkerReport = {
    ...report,
    seconds,
    denoCpuMs: deno1 - deno0,
    pgCpuMs: pg0 !== null && pg1 !== null ? pg1 - pg0 : null,
    peakRssMiB: peakRssMiB(),
  };
  await pool.end({ timeout: 5 });
  console.log(JSON.stringify(out));
  Deno.exit(0);
}
