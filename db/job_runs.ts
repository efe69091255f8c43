/**
 * The `job_runs` table (migration 0031): how a scheduled job run is claimed so
 * that, with several app processes on one database, each tick runs once and a
 * job never overlaps itself.
 *
 * Claiming is one short transaction holding a transaction-level advisory lock
 * for that job (works through PgBouncer in transaction mode, unlike a session
 * lock): it refuses when a run of the job is still going (within the lease) and
 * otherwise inserts `(job, tick)`, which the primary key lets only one process
 * do per tick. A tick whose run failed can be claimed again (a retry).
 */
import { sql } from "./client.ts";

export type Claim = { id: number } | { skipped: "tick_taken" | "running" };

export interface ClaimInput {
  job: string;
  tick: Date;
  trigger: "cron" | "manual";
  instance: string;
  /** A run older than this that never finished (its process died) no longer blocks new runs. */
  leaseSeconds: number;
}

/** Claims one run; see the module comment. */
export async function claimJobRun(input: ClaimInput): Promise<Claim> {
  return await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${"roleferry:job:" + input.job}::text))`;
    const [running] = await tx`
      select 1 from job_runs
      where job = ${input.job}::text and outcome = 'running'
        and started_at > now() - make_interval(secs => ${input.leaseSeconds}::int)`;
    if (running) return { skipped: "running" } as const;
    const [row] = await tx<{ id: number }[]>`
      insert into job_runs (job, tick, trigger, instance)
      values (${input.job}::text, ${input.tick}::timestamptz, ${input.trigger}::text, ${input.instance}::text)
      on conflict (job, tick) do update
        set outcome = 'running', started_at = now(), finished_at = null, instance = excluded.instance,
            attempts = job_runs.attempts + 1, error = null, result = null, rows_touched = null, duration_ms = null
        where job_runs.outcome = 'error'
      returning id::int as id`;
    return row ? { id: row.id } : { skipped: "tick_taken" } as const;
  }) as Claim;
}

export interface FinishInput {
  id: number;
  outcome: "ok" | "error";
  rows: number;
  durationMs: number;
  result?: unknown;
  error?: string;
}

/** Records how a claimed run ended. */
export async function finishJobRun(input: FinishInput): Promise<void> {
  await sql`
    update job_runs
    set finished_at = now(), outcome = ${input.outcome}::text, rows_touched = ${input.rows}::bigint,
        duration_ms = ${Math.round(input.durationMs)}::int,
        result = ${input.result === undefined ? null : JSON.stringify(input.result)}::jsonb,
        error = ${input.error ?? null}::text
    where id = ${input.id}::bigint`;
}

export interface JobRunRow {
  id: number;
  job: string;
  tick: Date;
  trigger: string;
  instance: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: string;
  rows_touched: number | null;
  duration_ms: number | null;
  error: string | null;
}

/** The latest run of every job (for /api/admin/stats). */
export async function listLatestJobRuns(): Promise<JobRunRow[]> {
  return await sql<JobRunRow[]>`
    select distinct on (job) id::int as id, job::text as job, tick, trigger::text as trigger,
           instance::text as instance, started_at, finished_at, outcome::text as outcome,
           rows_touched::int as rows_touched, duration_ms::int as duration_ms, error::text as error
    from job_runs
    order by job, started_at desc`;
}

/** Runs of one job, newest first. */
export async function listJobRuns(job: string, limit = 50): Promise<JobRunRow[]> {
  return await sql<JobRunRow[]>`
    select id::int as id, job::text as job, tick, trigger::text as trigger, instance::text as instance,
           started_at, finished_at, outcome::text as outcome, rows_touched::int as rows_touched,
           duration_ms::int as duration_ms, error::text as error
    from job_runs
    where job = ${job}::text
    order by started_at desc
    limit ${limit}::int`;
}
