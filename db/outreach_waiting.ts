/**
 * The data behind "why has this email not gone out yet, and when will it"
 * (core/waiting_reason.ts decides): the state of the mailboxes, read once per
 * page or request, and the caller's queued emails for the dashboard.
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { type SendingState, type Waiting, waitingFor, type WaitingRow } from "@/core/waiting_reason.ts";
import { safeTimeZone } from "@/core/send_window.ts";

/**
 * How many mailboxes exist, could send, and could send today. Counted as the
 * owner: a summary of the shared pool, never a mailbox's own data. A counter
 * still on an earlier UTC day counts as 0 (`mailbox_sent_today`, migration 0100).
 */
export async function getMailboxSummary(sql: Sql): Promise<Omit<SendingState, "timezone" | "now">> {
  const [row] = await sql<{ mailboxes: number; usable: number; available: number }[]>`
    select count(*)::int as mailboxes,
      count(*) filter (where status in ('active', 'warmup') and health_score >= 70)::int as usable,
      count(*) filter (where status in ('active', 'warmup') and health_score >= 70
        and mailbox_sent_today(sent_today, sent_today_day)
          < mailbox_send_cap(status, warmup_enabled, warmup_start_date, daily_cap))::int as available
    from mailboxes`;
  return row;
}

/**
 * The sending state for one user: the pool's summary (counted on the owner pool `sql`), their time zone and
 * account block (in `tx`, the user's transaction), now.
 */
export async function getSendingState(sql: Sql, tx: Tx): Promise<SendingState> {
  const [[user], summary] = await Promise.all([
    tx<{ timezone: string | null; account: "unverified" | "plan_limit" | null }[]>`
      select timezone, sending_block(id) as account from users
      where id = (select nullif(current_setting('app.current_user_id', true), '')::int)`,
    getMailboxSummary(sql),
  ]);
  return {
    ...summary,
    timezone: safeTimeZone(user?.timezone),
    account: user?.account ?? null,
    now: new Date(),
  };
}

/** Adds `waiting_reason` and `expected_at` to each row. */
export function withWaiting<T extends WaitingRow>(rows: T[], state: SendingState): (T & Waiting)[] {
  return rows.map((row) => ({ ...row, ...waitingFor(row, state) }));
}

/** One queued email of the caller, for the dashboard's "waiting to go out". */
export interface QueuedEmail extends WaitingRow {
  id: number;
  application_id: number;
  job_title: string;
  contact_name: string;
  step_no: number;
}

/** The caller's queued emails, soonest first (at most `limit`), each with why it waits. */
export async function listQueuedEmails(
  sql: Sql,
  userId: number,
  limit = 20,
): Promise<(QueuedEmail & Waiting)[]> {
  return await withUser(sql, userId, async (tx) => {
    const [rows, state] = await Promise.all([
      tx<QueuedEmail[]>`
        select o.id, o.application_id, j.title as job_title, c.full_name as contact_name, o.step_no, o.status,
               o.due_at, o.paused_at, o.send_window, (o.send_started_at is not null) as sending
        from outreach o
        join applications a on a.id = o.application_id
        join jobs j on j.id = a.job_id
        join contacts c on c.id = o.contact_id
        where o.status = 'queued'
        order by o.due_at, o.id
        limit ${limit}::int`,
      getSendingState(sql, tx),
    ]);
    return withWaiting(rows, state);
  });
}

/** Queued emails due now and not paused, across every user (the admin page's "waiting" count). */
export async function countDueQueued(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from outreach where status = 'queued' and due_at <= now() and paused_at is null`;
  return row.n;
}
