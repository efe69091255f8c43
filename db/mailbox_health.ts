/**
 * Mailbox counters and health (migrations 0032, 0033, 0085, 0100; formula in docs/operations.md).
 * Each step is one set-based statement inside a SQL function, so the rules live
 * in one place whether a job, an operator's psql or a test runs them.
 */
import type { Sql } from "./client.ts";

export interface ResetResult {
  /**
   * Mailboxes whose counter held sends of an earlier day, which read as 0 from `day` on (nothing is written:
   * migration 0100); counted on the first run for `day`, 0 on a second run the same day.
   */
  counters_reset: number;
  /** Mailboxes re-scored. */
  health_updated: number;
}

/**
 * The daily reset for UTC day `day` (default: today): drops the per-day
 * counters older than the health window, then re-scores every mailbox. It
 * zeroes no `sent_today`: every reader reads the counter through its day
 * (migration 0100), so yesterday's count is 0 today without a write, and the
 * sends of `day` made before it ran are kept. Safe to run again the same day.
 */
export async function resetMailboxCounters(sql: Sql, day?: Date): Promise<ResetResult> {
  const dayText = day ? day.toISOString().slice(0, 10) : null;
  const [row] = await sql<ResetResult[]>`
    select counters_reset::int as counters_reset, health_updated::int as health_updated
    from reset_mailbox_daily_counters(coalesce(${dayText}::date, (now() at time zone 'UTC')::date))`;
  return { counters_reset: row.counters_reset, health_updated: row.health_updated };
}

/** Re-scores every mailbox from the last 7 days; returns how many were updated. */
export async function calculateMailboxHealth(sql: Sql): Promise<number> {
  const [row] = await sql<{ updated: number }[]>`select calculate_mailbox_health()::int as updated`;
  return row.updated;
}

export interface MailboxHealthRow {
  id: number;
  email: string;
  status: string;
  health_score: number;
  sent_today: number;
  daily_cap: number;
  bounce_count_7d: number;
  spam_reports_7d: number;
  last_health_check: Date | null;
}

/** Every mailbox's health numbers, worst first (for /api/admin/stats). */
export async function listMailboxHealth(sql: Sql): Promise<MailboxHealthRow[]> {
  return await sql<MailboxHealthRow[]>`
    select id::int as id, email::text as email, status::text as status, health_score::int as health_score,
           mailbox_sent_today(sent_today, sent_today_day)::int as sent_today, daily_cap::int as daily_cap,
           bounce_count_7d::int as bounce_count_7d, spam_reports_7d::int as spam_reports_7d,
           last_health_check
    from mailboxes
    order by health_score asc, id asc`;
}

/**
 * Cells (mailbox, day) of the counters kept by migration 0085's triggers that
 * differ from a full recount of the last 8 days, at most 20 of them named.
 */
export async function checkMailboxCounters(sql: Sql): Promise<
  { drift: number; cells: { mailbox_email: string; day: string; kept: number[]; recounted: number[] }[] }
> {
  const rows = await sql<{ mailbox_email: string; day: string; kept: number[]; recounted: number[] }[]>`
    select mailbox_email, to_char(day, 'YYYY-MM-DD') as day, kept, recounted
    from check_mailbox_daily_stats() order by day, mailbox_email`;
  return { drift: rows.length, cells: rows.slice(0, 20) };
}
