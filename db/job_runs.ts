/**
 * The `job_runs` table (migration 0031): how a scheduled job run is claimed so
 * that, with several app processes on one database, each tick runs once and a
 * job never overlaps itself.
 *
 * A run first takes its job's *run lock* (holdJobRun): a transaction-level
 * advisory lock, taken in a transaction that stays open on a reserved
 * connection for as long as the run lasts. While the process lives, nobody
 * else gets the lock; when the process dies (even by SIGKILL) its connection
 * ends and PostgreSQL releases the lock at once, so the next claim takes over
 * instead of waiting out the lease (migration 0046).
 *
 * Why a transaction lock held open and not a session lock: behind PgBouncer in
 * transaction mode (deploy/pgbouncer.ini) a session advisory lock stays on
 * whichever server connection ran the statement, which then serves other
 * clients: it outlives the process that took it and is shared with strangers.
 * An open transaction pins its server connection to the one client until it
 * ends, and PgBouncer closes a server connection whose client disconnects in
 * the middle of a transaction, so the lock lives exactly as long as the
 * process's connection, directly or through the pooler. The transaction takes
 * no snapshot between statements and writes nothing, so it holds back no
 * vacuum. The cost is one pooled connection per running job.
 *
 * Claiming is then one short transaction holding a transaction-level advisory
 * lock for that job: a `running` row made under a run lock (`held`) is dead,
 * since we hold the lock now, and is closed as an error; any other `running`
 * row (an older process without run locks) still blocks within its lease;
 * otherwise it inserts `(job, tick)`, which the primary key lets only one
 * process do per tick. A tick whose run failed can be claimed again (a retry).
 */
import postgres from "postgres";
import { CONNECT_TIMEOUT_S, connectionUrl, type Sql, withoutParam } from "./client.ts";

export type Claim = { id: number } | { skipped: "tick_taken" | "running" };

export interface ClaimInput {
  job: string;
  tick: Date;
  trigger: "cron" | "manual";
  instance: string;
  /**
   * A run older than this that never finished no longer blocks new runs: only for runs made without a run
   * lock (older versions); a dead run with one is taken over at once.
   */
  leaseSeconds: number;
}

/** A job's run lock, held until `release` (see the module comment). */
export interface RunLock {
  release(): Promise<void>;
}

/**
 * Takes the job's run lock, or answers undefined when a live process holds it (the job is running). The
 * lock lives on a connection of its own, outside the pool `sql` (opened on the same URL), so a run never takes a pool slot the job's own
 * queries need (a pool of one would deadlock), and is closed when the run ends.
 */
export async function holdJobRun(sql: Sql, job: string): Promise<RunLock | undefined> {
  // not `new URL()`: a multi-host DATABASE_URL (failover, docs/operations.md "Drills") is not a WHATWG URL
  const url = connectionUrl(sql);
  const pooled = /[?&]pgbouncer=true(&|$)/.test(url);
  const conn = postgres(withoutParam(url, "pgbouncer"), {
    max: 1,
    prepare: !pooled,
    idle_timeout: 0,
    connect_timeout: CONNECT_TIMEOUT_S,
    onnotice: () => {},
    connection: { application_name: `roleferry-job-lock` },
  });
  let got = false;
  try {
    await conn`begin`;
    [{ got }] = await conn<{ got: boolean }[]>`
      select pg_try_advisory_xact_lock(hashtext(${"roleferry:job-run:" + job}::text)) as got`;
  } finally {
    if (!got) await conn.end({ timeout: 1 });
  }
  if (!got) return undefined;
  return {
    async release() {
      try {
        await conn`commit`;
      } finally {
        await conn.end({ timeout: 1 });
      }
    },
  };
}

/** Claims one run; the caller holds the job's run lock (holdJobRun). See the module comment. */
export async function claimJobRun(sql: Sql, input: ClaimInput): Promise<Claim> {
  return await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${"roleferry:job:" + input.job}::text))`;
    // We hold the run lock, so a run made under one is over: its process is gone.
    await tx`
      update job_runs set outcome = 'error', finished_at = now(),
        error = 'its process ended during the run (the run lock was free)'
      where job = ${input.job}::text and outcome = 'running' and held`;
    const [running] = await tx`
      select 1 from job_runs
      where job = ${input.job}::text and outcome = 'running' and not held
        and started_at > now() - make_interval(secs => ${input.leaseSeconds}::int)`;
    if (running) return { skipped: "running" } as const;
    const [row] = await tx<{ id: number }[]>`
      insert into job_runs (job, tick, trigger, instance, held)
      values (${input.job}::text, ${input.tick}::timestamptz, ${input.trigger}::text, ${input.instance}::text,
              true)
      on conflict (job, tick) do update
        set outcome = 'running', started_at = now(), finished_at = null, instance = excluded.instance,
            attempts = job_runs.attempts + 1, error = null, result = null, rows_touched = null, duration_ms = null,
            held = true
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
export async function finishJobRun(sql: Sql, input: FinishInput): Promise<void> {
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
export async function listLatestJobRuns(sql: Sql): Promise<JobRunRow[]> {
  return await sql<JobRunRow[]>`
    select distinct on (job) id::int as id, job::text as job, tick, trigger::text as trigger,
           instance::text as instance, started_at, finished_at, outcome::text as outcome,
           rows_touched::int as rows_touched, duration_ms::int as duration_ms, error::text as error
    from job_runs
    order by job, started_at desc`;
}

/** Runs of one job, newest first. */
export async function listJobRuns(sql: Sql, job: string, limit = 50): Promise<JobRunRow[]> {
  return await sql<JobRunRow[]>`
    select id::int as id, job::text as job, tick, trigger::text as trigger, instance::text as instance,
           started_at, finished_at, outcome::text as outcome, rows_touched::int as rows_touched,
           duration_ms::int as duration_ms, error::text as error
    from job_runs
    where job = ${job}::text
    order by started_at desc
    limit ${limit}::int`;
}
