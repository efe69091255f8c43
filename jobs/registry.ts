/**
 * Every scheduled job by its contract name (contract §4), and `runJob`, the one
 * way a job runs: from Deno.cron (jobs/cron.ts), `deno task job NAME`,
 * `deno task worker` and `POST /api/admin/cron/:name`.
 *
 * A run first takes its job's run lock and claims its tick in `job_runs`
 * (db/job_runs.ts), so with several processes on one database each tick runs
 * once, a job never overlaps itself, and a run whose process died does not
 * block the next one; then it runs, is recorded, counted in the metrics, and logged as one
 * JSON line: job, trigger, tick, outcome, duration_ms, rows.
 */
import { claimJobRun, finishJobRun, holdJobRun, type RunLock } from "@/db/job_runs.ts";
import { sql } from "@/db/client.ts";
import { log } from "@/core/log.ts";
import { shutdownSignal } from "@/app/lifecycle.ts";
import { recordEmail, recordJobRun } from "@/core/metrics.ts";
import { calculateHealth } from "./calculate_health.ts";
import { checkMailboxDns } from "./check_mailbox_dns.ts";
import { endIdleConnections } from "./end_idle_connections.ts";
import { expireJobs } from "./expire_jobs.ts";
import { maintainPartitions } from "./maintain_partitions.ts";
import { purgeSessions } from "./purge_sessions.ts";
import { checkMailboxCountersJob } from "./check_mailbox_counters.ts";
import { refreshMatchScores } from "./refresh_match_scores.ts";
import { resetMailboxes } from "./reset_mailboxes.ts";
import { config } from "@/fresh.config.ts";
import { createAppContext } from "@/app/context.ts";

/** Until the registry is handed the app context: one built from the process's pool and configuration. */
const globalApp = () => createAppContext(config(), sql);

export interface JobDefinition {
  /** Cron schedule, UTC (what jobs/cron.ts registers). */
  schedule: string;
  /** A run older than this that never finished (its process died) stops blocking the next one. */
  leaseSeconds: number;
  run(tick: Date): Promise<unknown>;
}

/** The jobs, by name. */
export const JOBS = {
  "dispatch-outreach": {
    schedule: "* * * * *",
    leaseSeconds: 300,
    run: () => dispatch(),
  },
  "reset-mailboxes": {
    schedule: "0 0 * * *",
    leaseSeconds: 3600,
    run: (tick: Date) => resetMailboxes(sql, tick),
  },
  "calculate-health": { schedule: "0 */6 * * *", leaseSeconds: 3600, run: () => calculateHealth(sql) },
  "refresh-match-scores": { schedule: "0 * * * *", leaseSeconds: 3600, run: () => refreshMatchScores(sql) },
  "maintain-partitions": { schedule: "0 1 * * *", leaseSeconds: 3600, run: () => maintainPartitions() },
  "expire-jobs": { schedule: "30 * * * *", leaseSeconds: 3600, run: () => expireJobs() },
  "end-idle-connections": { schedule: "*/10 * * * *", leaseSeconds: 600, run: () => endIdleConnections() },
  "purge-sessions": { schedule: "15 * * * *", leaseSeconds: 600, run: () => purgeSessions() },
  "check-mailbox-counters": {
    schedule: "30 0 * * *",
    leaseSeconds: 600,
    run: () => checkMailboxCountersJob(sql),
  },
  "check-mailbox-dns": {
    schedule: "20 3 * * *",
    leaseSeconds: 3600,
    run: () => checkMailboxDns(globalApp()),
  },
} satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;

/**
 * dispatch-outreach: the outreach engine's dispatcher (jobs/dispatch_outreach.ts, loaded on first use),
 * stopped from claiming new batches at shutdown; its sends and failures feed the email metrics.
 */
async function dispatch() {
  const { dispatchOutreachJob } = await import("./dispatch_outreach.ts");
  const result = await dispatchOutreachJob(globalApp(), shutdownSignal);
  recordEmail("sent", result.sent);
  recordEmail("failed", result.failed);
  return result;
}

/** The job names, for error messages and the OpenAPI document. */
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** Narrows a string (a route param, a command-line argument) to a job name. */
export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

export interface JobRunResult {
  name: JobName;
  trigger: "cron" | "manual";
  tick: string;
  outcome: "ok" | "error" | "skipped";
  duration_ms: number;
  rows: number;
  /** What the job returned (ok). */
  result?: unknown;
  /** Why it did not run (skipped): another process has this tick, or a run is still going. */
  reason?: "tick_taken" | "running";
  error?: string;
}

/** This process, as recorded in job_runs.instance. */
export const INSTANCE = `${hostname()}:${Deno.pid}:${crypto.randomUUID().slice(0, 8)}`;

/**
 * The tick a cron firing belongs to: the nearest whole minute. Every process's
 * Deno.cron fires within a few milliseconds of the scheduled minute, so they all
 * compute the same tick and only one claims it.
 */
export function cronTick(now = Date.now()): Date {
  return new Date(Math.round(now / 60_000) * 60_000);
}

/**
 * Runs one job now (or skips it, see JobRunResult.reason). Never throws: a failing
 * job answers outcome "error" (the cron handler rethrows so Deno.cron retries).
 *
 * @example
 * const run = await runJob("calculate-health"); // { outcome: "ok", rows: 3, ... }
 */
export async function runJob(
  name: JobName,
  options: { trigger?: "cron" | "manual"; tick?: Date } = {},
): Promise<JobRunResult> {
  const trigger = options.trigger ?? "manual";
  const tick = options.tick ?? (trigger === "cron" ? cronTick() : new Date());
  const job: JobDefinition = JOBS[name];
  const started = performance.now();
  const base = { name, trigger, tick: tick.toISOString() };
  let claimId: number | undefined;
  let lock: RunLock | undefined;
  try {
    lock = await holdJobRun(name);
    const claim = lock
      ? await claimJobRun({ job: name, tick, trigger, instance: INSTANCE, leaseSeconds: job.leaseSeconds })
      : { skipped: "running" as const };
    if ("skipped" in claim) {
      const run: JobRunResult = {
        ...base,
        outcome: "skipped",
        reason: claim.skipped,
        duration_ms: 0,
        rows: 0,
      };
      report(run);
      return run;
    }
    claimId = claim.id;
    const result = await job.run(tick);
    const duration = performance.now() - started;
    const rows = rowsOf(result);
    await finishJobRun({ id: claimId, outcome: "ok", rows, durationMs: duration, result });
    const run: JobRunResult = { ...base, outcome: "ok", duration_ms: round(duration), rows, result };
    report(run);
    return run;
  } catch (error) {
    const duration = performance.now() - started;
    const message = error instanceof Error ? error.message : String(error);
    if (claimId !== undefined) {
      await finishJobRun({ id: claimId, outcome: "error", rows: 0, durationMs: duration, error: message })
        .catch((e) => log.error("job run not recorded", { job: name, error: e }));
    }
    const run: JobRunResult = {
      ...base,
      outcome: "error",
      duration_ms: round(duration),
      rows: 0,
      error: message,
    };
    report(run, error);
    return run;
  } finally {
    await lock?.release().catch((e) => log.error("job run lock not released", { job: name, error: e }));
  }
}

function report(run: JobRunResult, error?: unknown): void {
  recordJobRun(run.name, run.outcome, run.duration_ms, run.rows);
  const fields = {
    job: run.name,
    trigger: run.trigger,
    tick: run.tick,
    outcome: run.outcome,
    duration_ms: run.duration_ms,
    rows: run.rows,
    reason: run.reason,
    instance: INSTANCE,
    error: error instanceof Error ? error : run.error,
  };
  if (run.outcome === "error") log.error("job run", fields);
  else log.info("job run", fields);
}

/** Rows touched, from what a job returned: `rows`, or the sum of its numeric fields, or a number. */
export function rowsOf(result: unknown): number {
  if (typeof result === "number") return result;
  if (!result || typeof result !== "object") return 0;
  const record = result as Record<string, unknown>;
  if (typeof record.rows === "number") return record.rows;
  return Object.values(record).reduce<number>((sum, v) => sum + (typeof v === "number" ? v : 0), 0);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "app"; // no --allow-sys
  }
}
