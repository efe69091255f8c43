/**
 * Sending mailboxes: creation and listing for the admin, and the dispatcher's
 * capacity reservation. Three rules are written once here and used by every
 * statement: a mailbox's capacity (`sendCap`, migration 0020's
 * `mailbox_send_cap`: daily_cap when active, a 30-day ramp in warm-up, 0 when
 * paused), what it has sent today (`sentToday`, migration 0100: the counter
 * read through its UTC day) and who may send now (`available`). `reserveMailboxUnits`,
 * `reserveMailboxUnitsSpread` and `reserveThisMailbox` take units of the
 * capacity atomically (row lock + re-checked cap in one statement), so any
 * number of dispatchers together never exceed it.
 */
import type postgres from "postgres";
import type { Frag, Sql } from "./client.ts";
import { HttpError } from "@/core/http_error.ts";
import type { SecretBox } from "@/core/secrets.ts";
import type { SendingMailbox } from "@/core/mail/types.ts";

/** A mailbox as the admin sees it: never the password, in any form. */
export interface MailboxView {
  id: number;
  email: string;
  domain: string;
  status: string;
  health_score: number;
  warmup_enabled: boolean;
  warmup_start_date: Date | null;
  daily_cap: number;
  /** What it may send today (the warm-up ramp applied). */
  send_cap: number;
  sent_today: number;
  bounce_count_7d: number;
  spam_reports_7d: number;
  consecutive_failures: number;
  last_error: string | null;
  paused_reason: string | null;
  last_health_check: Date | null;
  last_sent_at: Date | null;
  smtp_host: string;
  smtp_port: number;
  smtp_username: string;
  created_at: Date;
  dkim_selector: string;
  spf_include: string | null;
}

export interface NewMailbox {
  email: string;
  domain: string;
  smtp_host: string;
  smtp_port?: number;
  smtp_username: string;
  smtp_password: string;
  daily_cap?: number;
  status?: "warmup" | "active" | "paused";
  warmup_enabled?: boolean;
  warmup_start_date?: string;
  dkim_selector?: string;
  spf_include?: string | null;
}

/** What mailbox `m` may send today: its cap with the warm-up ramp applied (migration 0020). */
const sendCap = (sql: Sql): Frag =>
  sql`mailbox_send_cap(m.status, m.warmup_enabled, m.warmup_start_date, m.daily_cap)`;

/**
 * What mailbox `m` has sent today: its counter read through its UTC day
 * (migration 0100's `mailbox_sent_today`, inlined by the planner). A counter
 * still on an earlier day is 0, so nothing needs zeroing at midnight; every
 * read of the counter goes through this, never the bare column.
 */
const sentToday = (sql: Sql): Frag => sql`mailbox_sent_today(m.sent_today, m.sent_today_day)`;

/** Who may send now (alias `m`): active or warming up, healthy, and under today's cap. */
const available = (sql: Sql): Frag =>
  sql`m.status in ('active', 'warmup') and m.health_score >= 70 and ${sentToday(sql)} < ${sendCap(sql)}`;

/** Least filled first (`sent_today / cap`), then the longest unused (alias `m`). */
const leastFilledFirst = (sql: Sql): Frag =>
  sql`${sentToday(sql)}::float8 / greatest(1, ${sendCap(sql)}), m.last_sent_at asc nulls first, m.id`;

/** The admin's view of mailbox `m`. */
const viewColumns = (sql: Sql): Frag =>
  sql`
  m.id, m.email, m.domain, m.status, m.health_score, m.warmup_enabled, m.warmup_start_date, m.daily_cap,
  ${sendCap(sql)} as send_cap,
  ${sentToday(sql)} as sent_today,
  m.bounce_count_7d, m.spam_reports_7d, m.consecutive_failures, m.last_error, m.paused_reason,
  m.last_health_check, m.last_sent_at, m.smtp_host, m.smtp_port, m.smtp_username, m.created_at, m.dkim_selector,
  m.spf_include`;

/**
 * Adds a mailbox; the SMTP password is encrypted before it reaches the
 * database. A second mailbox with the same address is a 409.
 */
export async function createMailbox(sql: Sql, input: NewMailbox, secrets: SecretBox): Promise<MailboxView> {
  const encrypted = await secrets.encrypt(input.smtp_password);
  const status = input.status ?? "warmup";
  const warmupStart = input.warmup_start_date ?? (status === "warmup" ? new Date().toISOString() : null);
  try {
    const [row] = await sql<MailboxView[]>`
      insert into mailboxes as m (email, domain, smtp_host, smtp_port, smtp_username, smtp_password_encrypted,
                             daily_cap, status, warmup_enabled, warmup_start_date, dkim_selector, spf_include)
      values (${input.email}::varchar, ${input.domain}::varchar, ${input.smtp_host}::varchar,
              ${input.smtp_port ?? 587}::int, ${input.smtp_username}::varchar, ${encrypted}::varchar,
              ${input.daily_cap ?? 50}::int, ${status}::varchar, ${input.warmup_enabled ?? true}::boolean,
              ${warmupStart}::timestamptz, ${input.dkim_selector ?? "smtp"}::varchar,
              ${input.spf_include ?? null}::varchar)
      returning ${viewColumns(sql)}`;
    return row;
  } catch (error) {
    if ((error as { code?: string }).code === "23505") {
      throw new HttpError(409, "a mailbox with this email already exists", {
        fields: { email: "already exists" },
      });
    }
    throw error;
  }
}

/** Every mailbox with its health, caps and counters, for the admin API and page. */
export async function listMailboxes(sql: Sql): Promise<MailboxView[]> {
  return await sql<MailboxView[]>`select ${viewColumns(sql)} from mailboxes m order by m.id`;
}

/** Sends per mailbox per day over the last `days` days (the admin chart). */
export async function listDailySends(
  sql: Sql,
  days = 14,
): Promise<{ email: string; day: string; sent: number }[]> {
  return await sql<{ email: string; day: string; sent: number }[]>`
    select m.email, to_char(d.day, 'YYYY-MM-DD') as day, count(o.id)::int as sent
    from mailboxes m
    cross join generate_series((now() at time zone 'UTC')::date - (${days}::int - 1), (now() at time zone 'UTC')::date,
                               interval '1 day') as d(day)
    left join outreach o on o.mailbox_id = m.id and o.sent_at is not null
      and o.sent_at >= d.day at time zone 'UTC' and o.sent_at < (d.day + interval '1 day') at time zone 'UTC'
    group by m.email, d.day
    order by m.email, d.day`;
}

export type ReservedMailbox = SendingMailbox & {
  consecutive_failures: number;
  /** The UTC day (`YYYY-MM-DD`) the unit counts on: giving it back changes only that day's count. */
  counter_day: string;
};

/** What giving a unit back needs to know of it. */
export type ReservedUnit = Pick<ReservedMailbox, "id" | "counter_day">;

const reservedColumns = (sql: Sql): Frag =>
  sql`m.id, m.email, m.domain, m.smtp_host, m.smtp_port, m.smtp_username, m.smtp_password_encrypted,
      m.consecutive_failures, m.sent_today_day::text as counter_day`;

/**
 * `sent_today` plus `units`, rolled over to the current UTC day: the first
 * units of a new day start from 0, whether or not that day's reset has run
 * yet (migration 0033). A counter already on a later day (another
 * transaction's clock) keeps its day.
 */
const addUnits = (sql: Sql, units: postgres.Fragment | number): Frag =>
  sql`sent_today = ${sentToday(sql)} + ${units},
      sent_today_day = greatest(m.sent_today_day, (now() at time zone 'UTC')::date)`;

/**
 * One unit of capacity on each of up to `count` available mailboxes, least
 * filled first: what a dispatcher batch draws from (one statement per round,
 * not one per email, so picking stays cheap with thousands of mailboxes).
 * Atomic: the rows are locked (concurrent dispatchers skip each other's) and
 * the cap re-checked in the same statement. Units not used must be given back
 * (`releaseMailboxUnits`).
 */
export async function reserveMailboxUnits(sql: Sql, count: number): Promise<ReservedMailbox[]> {
  return await sql<ReservedMailbox[]>`
    with pick as (
      select m.id from mailboxes m
      where ${available(sql)}
      order by ${leastFilledFirst(sql)}
      limit ${count}::int
      for update skip locked
    )
    update mailboxes m set ${addUnits(sql, 1)}, last_sent_at = now()
    from pick
    where m.id = pick.id
      and ${sentToday(sql)} < ${sendCap(sql)}
    returning ${reservedColumns(sql)}`;
}

/**
 * Up to `count` units in one statement, several per mailbox when there are
 * fewer available mailboxes than units wanted: the units go where the fill
 * (`sent_today / cap`) stays lowest ("water-filling": 30 units over three
 * equal empty mailboxes → 10 each), at most `ceil(count / k) + 1` per mailbox
 * among the k least-filled ones. Same atomicity as `reserveMailboxUnits`: rows
 * locked (SKIP LOCKED) and the cap re-checked with the units added, so a
 * mailbox whose row changed meanwhile gives nothing this round rather than go
 * over. Answers one entry per mailbox with its unit count.
 */
export async function reserveMailboxUnitsSpread(
  sql: Sql,
  count: number,
): Promise<(ReservedMailbox & { units: number })[]> {
  return await sql<(ReservedMailbox & { units: number })[]>`
    with top as (
      -- The least-filled first, without a lock: a bounded (top-N) sort. Under FOR UPDATE the sort sits below
      -- the lock and sorts every available mailbox (10,000 at full scale: 17 ms a round). Twice the units
      -- wanted, so that rows another dispatcher holds locked right now still leave enough to lock below.
      select m.id from mailboxes m
      where ${available(sql)}
      order by ${leastFilledFirst(sql)}
      limit 2 * ${count}::int
    ), cand as (
      select m.id, ${sentToday(sql)} as sent_today, ${sendCap(sql)} as cap, m.last_sent_at
      from mailboxes m
      where m.id in (select id from top) and ${available(sql)}
      order by ${leastFilledFirst(sql)}
      limit ${count}::int
      for update of m skip locked
    ), slot as (
      select c.id, row_number() over (
               order by (c.sent_today + j - 1)::float8 / greatest(1, c.cap), j, c.last_sent_at asc nulls first, c.id
             ) as rank
      from cand c
      cross join lateral generate_series(
        1, least(c.cap - c.sent_today, ceil(${count}::float8 / (select count(*) from cand))::int + 1)) as j
    ), give as (
      select id, count(*)::int as units from slot where rank <= ${count}::int group by id
    )
    update mailboxes m set ${addUnits(sql, sql`give.units`)}, last_sent_at = now()
    -- joined through cand (a LIMIT the planner can count) so each row is found by its key, not by hashing a
    -- scan of every mailbox
    from cand join give on give.id = cand.id
    where m.id = cand.id
      and ${sentToday(sql)} + give.units <= ${sendCap(sql)}
    returning ${reservedColumns(sql)}, give.units`;
}

/** One unit on this mailbox only, if it is available (a follow-up from the sender of step 1). */
export async function reserveThisMailbox(sql: Sql, id: number): Promise<ReservedMailbox | undefined> {
  const [row] = await sql<ReservedMailbox[]>`
    update mailboxes m set ${addUnits(sql, 1)}, last_sent_at = now()
    where m.id = ${id}::int and ${available(sql)}
    returning ${reservedColumns(sql)}`;
  return row;
}

/**
 * Gives back reserved units (a mailbox may repeat). A unit reserved on an
 * earlier UTC day than its mailbox's counter now holds is not taken off: that
 * day's count is gone, and today's never included it.
 */
export async function releaseMailboxUnits(sql: Sql, units: ReservedUnit[]): Promise<void> {
  if (!units.length) return;
  const ids = units.map((u) => u.id);
  const days = units.map((u) => u.counter_day);
  await sql`
    update mailboxes m set sent_today = greatest(0, m.sent_today - u.n)
    from (select id, day, count(*)::int as n from unnest(${ids}::int[], ${days}::date[]) as v(id, day)
          group by id, day) u
    where m.id = u.id and m.sent_today_day = u.day`;
}

/** True when some mailbox could take a message now (ignoring row locks). */
export async function hasMailboxCapacity(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ any: boolean }[]>`
    select exists (select 1 from mailboxes m where ${available(sql)}) as any`;
  return row.any;
}

/** Gives back a reserved unit (the message was certainly not sent). */
export async function releaseMailbox(sql: Sql, unit: ReservedUnit): Promise<void> {
  await releaseMailboxUnits(sql, [unit]);
}

/** A successful send ends a failure streak. */
export async function recordMailboxSuccess(sql: Sql, id: number): Promise<void> {
  await sql`
    update mailboxes set consecutive_failures = 0, last_error = null
    where id = ${id}::int and (consecutive_failures <> 0 or last_error is not null)`;
}

/**
 * Counts a transport failure; the `pauseAfter`-th in a row pauses the mailbox
 * (it stops taking messages until an admin or the health job changes it).
 * Answers whether it was paused now.
 */
export async function recordMailboxFailure(
  sql: Sql,
  id: number,
  error: string,
  pauseAfter = 5,
): Promise<boolean> {
  const [row] = await sql<{ paused: boolean }[]>`
    update mailboxes set
      consecutive_failures = consecutive_failures + 1,
      last_error = ${error.slice(0, 1000)}::text,
      status = case when consecutive_failures + 1 >= ${pauseAfter}::int then 'paused' else status end,
      paused_reason = case when consecutive_failures + 1 >= ${pauseAfter}::int and status <> 'paused'
                           then ${
    `paused after ${pauseAfter} failures in a row: ${error}`.slice(0, 1000)
  }::text
                           else paused_reason end
    where id = ${id}::int
    returning (status = 'paused' and consecutive_failures = ${pauseAfter}::int) as paused`;
  return row?.paused ?? false;
}
