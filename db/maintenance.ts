/**
 * Housekeeping statements of the scheduled jobs that are not about mailboxes,
 * partitions or match scores (db/match_scores.ts): expired jobs, idle connections. All run as
 * the owner pool.
 */
import type { Sql } from "./client.ts";

/** How long an expired job posting is kept (listing already hides it) before it is deleted. */
export const EXPIRED_JOB_GRACE_DAYS = 30;

/**
 * Deletes job postings expired more than the grace period ago that nobody applied
 * to (applications keep theirs: `fk_application_job` is ON DELETE RESTRICT), at
 * most `batch` per call so one run never holds long locks. Idempotent.
 */
export async function deleteExpiredJobs(sql: Sql, batch = 5000): Promise<number> {
  const rows = await sql`
    delete from jobs
    where id in (
      select j.id from jobs j
      where j.expires_at < now() - make_interval(days => ${EXPIRED_JOB_GRACE_DAYS}::int)
        and not exists (select 1 from applications a where a.job_id = j.id)
      order by j.expires_at
      limit ${batch}::int
      for update of j skip locked
    )`;
  return rows.count;
}

/** The seed's idle threshold (data-architecture.md 9.2). */
export const IDLE_CONNECTION_MINUTES = 10;

/**
 * Terminates connections to this database idle for more than `minutes` (the
 * seed's query, on the current database instead of a hard-coded name, and never
 * this connection). A role that is not a superuser can only end sessions of
 * roles it belongs to; others are left alone and not counted.
 */
export async function endIdleConnections(
  sql: Sql,
  minutes = IDLE_CONNECTION_MINUTES,
): Promise<number> {
  const [row] = await sql<{ ended: number }[]>`
    select count(*) filter (where pg_terminate_backend(pid))::int as ended
    from pg_stat_activity
    where state = 'idle'
      and state_change < now() - make_interval(mins => ${minutes}::int)
      and datname = current_database()
      and pid <> pg_backend_pid()
      and (pg_has_role(usesysid, 'MEMBER') or (select rolsuper from pg_roles where rolname = current_user))`;
  return row.ended;
}
