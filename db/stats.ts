/**
 * What `/api/admin/stats` shows: the slowest statements, connections by state,
 * the outreach queue and the scheduled jobs' latest runs. Read-only queries on
 * the owner pool.
 */
import { sql } from "./client.ts";
import { readSql } from "./replicas.ts";
import { type JobRunRow, listLatestJobRuns } from "./job_runs.ts";
import { listMailboxHealth, type MailboxHealthRow } from "./mailbox_health.ts";
import { listOutreachPartitions, type OutreachPartition } from "./partitions.ts";

export interface SlowStatement {
  query: string;
  calls: number;
  mean_exec_ms: number;
  max_exec_ms: number;
  total_exec_ms: number;
  rows: number;
}

export type SlowStatements =
  | { available: true; items: SlowStatement[] }
  | { available: false; reason: string };

/**
 * The statements of this database with the highest mean time (the seed's 9.1
 * query). pg_stat_statements needs the extension (migration 0001 creates it
 * when the server has it) and `shared_preload_libraries`; without either the
 * answer says "not available" and why, instead of failing.
 */
export async function listSlowestStatements(limit = 10): Promise<SlowStatements> {
  const [ext] = await sql<{ schema: string }[]>`
    select n.nspname::text as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pg_stat_statements'`;
  if (!ext) return { available: false, reason: "pg_stat_statements is not installed in this database" };
  try {
    const items = await sql<SlowStatement[]>`
      select query::text as query, calls::bigint::float8 as calls,
             round(mean_exec_time::numeric, 3)::float8 as mean_exec_ms,
             round(max_exec_time::numeric, 3)::float8 as max_exec_ms,
             round(total_exec_time::numeric, 3)::float8 as total_exec_ms, rows::bigint::float8 as rows
      from ${sql(ext.schema)}.pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database())
      order by mean_exec_time desc
      limit ${limit}::int`;
    return { available: true, items };
  } catch (error) {
    const message = (error as Error).message;
    return { available: false, reason: `pg_stat_statements is not available: ${message}` };
  }
}

export interface ConnectionCount {
  state: string;
  application: string;
  count: number;
}

/** Connections to this database grouped by state and application name (the seed's 9.2 query). */
export async function countConnectionsByState(): Promise<ConnectionCount[]> {
  return await sql<ConnectionCount[]>`
    select coalesce(state, 'unknown')::text as state, coalesce(application_name, '')::text as application,
           count(*)::int as count
    from pg_stat_activity
    where datname = current_database()
    group by 1, 2
    order by count desc, state`;
}

export interface OutreachQueue {
  /** Queued and due now (what dispatch-outreach will pick up). */
  due: number;
  /** Queued but due later. */
  scheduled: number;
  /** Held by a dispatcher right now (lease not expired). */
  sending: number;
  /** Failed in the last 24 hours. */
  failed_24h: number;
  /** Sent in the last 24 hours. */
  sent_24h: number;
}

/** The outreach queue at a glance. */
export async function getOutreachQueue(): Promise<OutreachQueue> {
  // the one scan of outreach here: a replica when one is fresh enough (db/replicas.ts); the statements and
  // connections above describe the primary itself and stay there
  const [row] = await readSql((db) =>
    db<OutreachQueue[]>`
    select
      count(*) filter (where status = 'queued' and due_at <= now() and (lease_until is null or lease_until <= now()))::int as due,
      count(*) filter (where status = 'queued' and due_at > now())::int as scheduled,
      count(*) filter (where status = 'queued' and lease_until > now())::int as sending,
      count(*) filter (where status = 'failed' and coalesce(claimed_at, due_at, queued_at) > now() - interval '24 hours')::int
        as failed_24h,
      count(*) filter (where sent_at > now() - interval '24 hours')::int as sent_24h
    from outreach
    where status in ('queued', 'failed') or sent_at > now() - interval '24 hours'`
  );
  return row;
}

export interface Stats {
  generated_at: string;
  slowest_statements: SlowStatements;
  connections: ConnectionCount[];
  outreach_queue: OutreachQueue;
  mailboxes: MailboxHealthRow[];
  jobs: JobRunRow[];
  partitions: OutreachPartition[];
}

/** Everything /api/admin/stats shows, gathered concurrently. */
export async function getStats(): Promise<Stats> {
  const [slowest, connections, queue, mailboxes, jobs, partitions] = await Promise.all([
    listSlowestStatements(),
    countConnectionsByState(),
    getOutreachQueue(),
    listMailboxHealth(sql),
    listLatestJobRuns(),
    listOutreachPartitions(),
  ]);
  return {
    generated_at: new Date().toISOString(),
    slowest_statements: slowest,
    connections,
    outreach_queue: queue,
    mailboxes,
    jobs,
    partitions,
  };
}
