/**
 * The dispatcher's queries (services/outreach/ holds the logic; services/outreach/store.ts binds them to a pool).
 *
 * A row stays 'queued' (the seed's status CHECK is unchanged) until its fate
 * is known; the dispatcher's progress lives in extra columns:
 * - claimed: `claim_id`/`lease_until` set by `claimDueOutreach` (FOR UPDATE
 *   SKIP LOCKED, committed at once, so no lock is held while sending);
 * - maybe sent: `send_attempt_id`/`send_started_at` set by `markSendingMany`
 *   (one statement for the rows that reach it together, committed before any
 *   of them is sent) just before the provider is called, cleared by the outcome. A row found queued
 *   with `send_started_at` set after a crash is reconciled with the provider
 *   before anything is resent.
 * Every write checks the claim or the attempt it belongs to, so a dispatcher
 * that lost its lease cannot overwrite another's work.
 */
import type { Frag, Sql } from "./client.ts";
import type { SendingMailbox } from "@/core/mail/types.ts";

export interface ClaimedOutreach {
  id: number;
  /** As text: a JS Date would drop the microseconds of this partition-key column. */
  queued_at: string;
  application_id: number;
  contact_id: number;
  step_no: number;
  subject: string;
  body: string;
  outreach_token: string;
  unsubscribe_token: string;
  send_window: boolean;
  send_attempts: number;
  send_started_at: Date | null;
  mailbox_id: number | null;
  contact_email: string;
  /** The sender's time zone (users.timezone), for send windows. */
  timezone: string | null;
  /** The mailbox that sent an earlier step of this sequence to this contact, if any. */
  preferred_mailbox_id: number | null;
  /** For a maybe-sent row: the mailbox of its attempt (for the provider lookup), whatever its status now. */
  attempt_mailbox: SendingMailbox | null;
  /** Real mail (issue 11; core/outreach_gates.ts). Our own Message-ID once an attempt chose one. */
  message_id: string | null;
  hold_reason: string | null;
  held_since: Date | null;
  /** The sender's name (`From: "Full Name" <mailbox>`) and Reply-To choice. */
  sender_name: string | null;
  reply_to: string | null;
  /** Follow-ups: `failed` when an earlier step of the sequence will never be sent, `pending` when not yet. */
  earlier_state: "failed" | "pending" | null;
  /** Follow-ups: the latest due time of an earlier step not sent yet. */
  earlier_due_at: Date | null;
  /** Follow-ups: the Message-IDs of the earlier steps sent, oldest first (threading headers). */
  thread_ids: string[] | null;
}

/** Identifies one claimed row (outreach becomes partitioned on queued_at: its key is (id, queued_at)). */
export interface RowKey {
  id: number;
  /** Full-precision text (see ClaimedOutreach.queued_at). */
  queued_at: string;
}

/**
 * Who may write a claimed row: the claim that holds it (`claim_id`, until its send starts) or the attempt that
 * is sending it (`send_attempt_id`, from `markSendingMany` on, when the lease may have run out meanwhile). Every
 * write below names its owner, so a dispatcher that lost a row cannot overwrite another's work.
 */
export type RowOwner = { claimId: string } | { attemptId: string };

/** The owners that hold the claim itself (writes that are only valid before the send starts). */
export type ClaimOwner = Extract<RowOwner, { claimId: string }>;

/** `o.claim_id`/`o.send_attempt_id` matches `owner` (alias `o`). */
const ownedBy = (sql: Sql, owner: RowOwner): Frag => {
  const claimId = "claimId" in owner ? owner.claimId : null;
  const attemptId = "attemptId" in owner ? owner.attemptId : null;
  return sql`(o.claim_id = ${claimId}::uuid or o.send_attempt_id = ${attemptId}::uuid)`;
};

/** This row (alias `o`), by its partition key. */
const isRow = (sql: Sql, row: RowKey): Frag =>
  sql`o.id = ${row.id}::int and o.queued_at = ${row.queued_at}::text::timestamptz`;

/**
 * The opt-out rule (alias `c`, the row's contact), stated as who may still be mailed: neither this contact
 * row nor any other with the same address opted out (an opt-out follows the person, not the row). Written as
 * a conjunction so that, at the top of a WHERE, PostgreSQL plans the NOT EXISTS as an anti-join.
 */
const notOptedOut = (sql: Sql): Frag =>
  sql`c.opted_out is not true
      and not exists (select 1 from contacts x where lower(x.email) = lower(c.email) and x.opted_out)`;

/** The contact already answered this application's outreach, or its address bounced (alias `o`). */
const repliedOrBounced = (sql: Sql): Frag =>
  sql`exists (
    select 1 from outreach r
    where r.application_id = o.application_id and r.contact_id = o.contact_id and r.status in ('replied', 'bounced')
  )`;

/**
 * Claims up to `limit` due queued rows for `owner` (a new claim id) for `leaseSeconds`.
 * Rows another dispatcher holds (locked now, or leased) are skipped. With
 * `maybeSentOnly` (no mailbox has capacity) only rows left "maybe sent" by a
 * crash, which need a provider lookup rather than capacity.
 */
export async function claimDueOutreach(
  sql: Sql,
  owner: ClaimOwner,
  limit: number,
  leaseSeconds: number,
  options: { maybeSentOnly?: boolean } = {},
): Promise<ClaimedOutreach[]> {
  return await sql<ClaimedOutreach[]>`
    with due as (
      -- The plan check runs on the rows walked in due order until the limit is reached, not on every due row: the
      -- inner walk (cheap conditions only) is a subquery with OFFSET 0, so the check cannot be pushed into it,
      -- and the rows reach it one by one, locked as they pass (SKIP LOCKED). Checked on every due row before
      -- the limit, it cost O(backlog) per claim (5,000 due rows: 85 ms a claim at full scale).
      select w.id, w.queued_at, w.application_id, w.send_started_at, w.due_at from (
        select o.id, o.queued_at, o.application_id, o.send_started_at, o.due_at from outreach o
        where o.status = 'queued' and o.due_at <= now() and o.paused_at is null
          and (o.lease_until is null or o.lease_until < now())
          and (o.send_started_at is not null or not ${options.maybeSentOnly ?? false}::boolean)
        order by o.due_at, o.id
        offset 0
        for update of o skip locked
      ) w
      -- unverified or past a plan limit (migration 0065): the row waits; a maybe-sent row is still reconciled
      where w.send_started_at is not null
        or sending_block((select a.user_id from applications a where a.id = w.application_id)) is null
      limit ${limit}::int
    ), ranked as (
      select due.id, due.queued_at, due.send_started_at, a.user_id,
             row_number() over (partition by a.user_id order by due.due_at, due.id) as rn
      from due join applications a on a.id = due.application_id
    ), heads as materialized (
      -- at most the user's sending headroom (plan limits, migration 0065) of a user's rows per claim; once
      -- per user (not inlined as a join filter evaluated once per row)
      select u.user_id, sending_headroom(u.user_id) as room from (select distinct user_id from ranked) u
    ), allowed as (
      select r.id, r.queued_at from ranked r join heads h on h.user_id = r.user_id
      where r.send_started_at is not null or r.rn <= h.room
    ), claimed as (
      update outreach o
      set claim_id = ${owner.claimId}::uuid, claimed_at = now(),
          lease_until = now() + ${leaseSeconds}::int * interval '1 second'
      from allowed due
      where o.id = due.id and o.queued_at = due.queued_at
      returning o.id, o.queued_at::text as queued_at, o.application_id, o.contact_id, o.step_no, o.subject, o.body,
                o.outreach_token, o.unsubscribe_token, o.send_window, o.send_attempts, o.send_started_at,
                o.mailbox_id, o.sequence_instance_id, o.message_id, o.hold_reason, o.held_since
    )
    select c.*, ct.email as contact_email, u.timezone, u.full_name as sender_name, u.reply_to_email as reply_to,
      ${earlierSteps(sql)}
      case when c.send_started_at is not null and m.id is not null then json_build_object(
        'id', m.id, 'email', m.email, 'domain', m.domain, 'smtp_host', m.smtp_host, 'smtp_port', m.smtp_port,
        'smtp_username', m.smtp_username, 'smtp_password_encrypted', m.smtp_password_encrypted) end as attempt_mailbox,
      -- only follow-ups have an earlier step (step 1 skips the lookup: per row, it was most of the claim's time)
      case when c.step_no > 1 then (select p.mailbox_id from outreach p
        where p.application_id = c.application_id and p.contact_id = c.contact_id
          and p.mailbox_id is not null and p.sent_at is not null and p.step_no < c.step_no
        order by p.step_no limit 1) end as preferred_mailbox_id
    from claimed c
    join contacts ct on ct.id = c.contact_id
    join applications a on a.id = c.application_id
    join users u on u.id = a.user_id
    left join mailboxes m on m.id = c.mailbox_id
    order by c.id`;
}

/**
 * Follow-ups only (step 1 skips them): the state of the earlier steps of the same sequence to the same contact
 * (issue 11: a step never goes out while an earlier one failed or is not sent yet), and their Message-IDs
 * for the thread headers.
 */
const earlierSteps = (sql: Sql): Frag =>
  sql`
  case when c.step_no > 1 then (
    select case when bool_or(p.sent_at is null and p.status in ('failed', 'canceled', 'bounced')) then 'failed'
                when bool_or(p.sent_at is null) then 'pending' end
    from outreach p
    where p.application_id = c.application_id and p.contact_id = c.contact_id
      and p.sequence_instance_id is not distinct from c.sequence_instance_id and p.step_no < c.step_no
  ) end as earlier_state,
  case when c.step_no > 1 then (
    select max(p.due_at) from outreach p
    where p.application_id = c.application_id and p.contact_id = c.contact_id
      and p.sequence_instance_id is not distinct from c.sequence_instance_id and p.step_no < c.step_no
      and p.sent_at is null
  ) end as earlier_due_at,
  case when c.step_no > 1 then array(
    select coalesce(p.message_id, p.provider_message_id) from outreach p
    where p.application_id = c.application_id and p.contact_id = c.contact_id
      and p.sequence_instance_id is not distinct from c.sequence_instance_id and p.step_no < c.step_no
      and p.sent_at is not null and coalesce(p.message_id, p.provider_message_id) is not null
    order by p.step_no
  ) end as thread_ids,`;

/** One row of `markSendingMany`: the row, the claim it is sent under, the attempt's id and the mailbox whose unit it took. */
export interface SendingMark {
  row: RowKey;
  /** The claim that holds the row (the marks of several claims of one run go in one statement). */
  owner: ClaimOwner;
  attemptId: string;
  mailbox: { id: number; email: string };
  /**
   * Our Message-ID for this send (core/mail/compose.ts), stored with the attempt, before the provider hears of
   * it. A row resent after a crash keeps the id of its first attempt (the caller passes that one).
   */
  messageId: string;
}

/**
 * The last check before the provider is called, for many rows in one
 * statement (the dispatcher groups the rows that reach this step at about the
 * same time, each right before its own send), row by row: the row is still
 * queued and ours, its contact has not opted out (by address, any contact
 * row), bounced or replied. Records the attempt (so a crash from here on
 * leaves a "maybe sent" row) and answers, in order, whether each row may be
 * sent.
 */
export async function markSendingMany(sql: Sql, marks: SendingMark[]): Promise<boolean[]> {
  if (!marks.length) return [];
  const updated = await sql<{ id: number }[]>`
    update outreach o
    set send_attempt_id = v.attempt_id, send_started_at = now(), send_attempts = o.send_attempts + 1,
        mailbox_id = v.mailbox_id, from_mailbox = v.mailbox_email, message_id = v.message_id,
        hold_reason = null, held_since = null
    from unnest(${marks.map((m) => m.row.id)}::int[], ${marks.map((m) => m.row.queued_at)}::text[],
                ${marks.map((m) => m.attemptId)}::uuid[], ${marks.map((m) => m.mailbox.id)}::int[],
                ${marks.map((m) => m.mailbox.email)}::varchar[], ${marks.map((m) => m.messageId)}::varchar[],
                ${marks.map((m) => m.owner.claimId)}::uuid[])
           as v(id, queued_at, attempt_id, mailbox_id, mailbox_email, message_id, claim_id),
         contacts c
    where o.id = v.id and o.queued_at = v.queued_at::timestamptz
      -- "is true": not an index condition, so each row is found by its primary key; as one, the planner took
      -- the (status, queued_at) index and read every queued row sharing the row's queued_at (rows enrolled
      -- by one statement share it: 8 ms per call with 5,000 of them at full scale)
      and (o.status = 'queued') is true and o.claim_id = v.claim_id and o.paused_at is null
      and c.id = o.contact_id and ${notOptedOut(sql)} and not ${repliedOrBounced(sql)}
    returning o.id`;
  const ok = new Set(updated.map((r) => r.id));
  return marks.map((m) => ok.has(m.row.id));
}

/** One row of `markSentMany`. */
export interface SentMark {
  row: RowKey;
  attemptId: string;
  messageId: string;
}

/**
 * Records accepted messages, many rows in one statement (outcomes flushed
 * together); answers, in order, whether each row was recorded. Matched on the
 * attempt, not the status: a row canceled (opt-out) while its message was
 * already on its way is still recorded as sent, because it was. Each contact's
 * `last_contacted_at` is moved once.
 */
export async function markSentMany(sql: Sql, marks: SentMark[]): Promise<boolean[]> {
  if (!marks.length) return [];
  const updated = await sql<{ id: number }[]>`
    with v as (
      select * from unnest(${marks.map((m) => m.row.id)}::int[], ${marks.map((m) => m.row.queued_at)}::text[],
                           ${marks.map((m) => m.attemptId)}::uuid[], ${
    marks.map((m) => m.messageId)
  }::varchar[])
             as v(id, queued_at, attempt_id, message_id)
    ), sent as (
      update outreach o
      set status = case when o.status in ('queued', 'canceled') then 'sent' else o.status end,
          sent_at = coalesce(o.sent_at, now()), provider_message_id = v.message_id,
          send_started_at = null, lease_until = null, last_error = null
      from v
      where o.id = v.id and o.queued_at = v.queued_at::timestamptz and o.send_attempt_id = v.attempt_id
      returning o.id, o.contact_id, o.queued_at, o.application_id
    ), charged as (
      -- the credit charge, in the send record's own statement: once per outreach row (plan rules: 0065)
      insert into send_charges (outreach_id, queued_at, user_id)
      select s.id, s.queued_at, a.user_id from sent s join applications a on a.id = s.application_id
      order by a.user_id
      on conflict do nothing
    ), touched as (
      update contacts c set last_contacted_at = greatest(c.last_contacted_at, now())
      from (select distinct contact_id from sent) s where c.id = s.contact_id
    )
    select id from sent`;
  const ok = new Set(updated.map((r) => r.id));
  return marks.map((m) => ok.has(m.row.id));
}

/**
 * Cancels a claimed row whose contact opted out, bounced or replied; answers
 * whether it did (false: the row was canceled or taken meanwhile).
 */
export async function cancelBlockedOutreach(sql: Sql, row: RowKey, owner: ClaimOwner): Promise<boolean> {
  const updated = await sql`
    update outreach o
    set status = 'canceled', lease_until = null,
        last_error = case when not (${
    notOptedOut(sql)
  }) then 'contact opted out' else 'contact replied or bounced' end
    from contacts c
    where ${isRow(sql, row)}
      and o.status = 'queued' and o.claim_id = ${owner.claimId}::uuid and c.id = o.contact_id
      and (not (${notOptedOut(sql)}) or ${repliedOrBounced(sql)})
    returning o.id`;
  return updated.length === 1;
}

/** Records a message found at the provider after a crash (see `markSentMany`). */
export async function markRecoveredSent(
  sql: Sql,
  row: RowKey,
  owner: ClaimOwner,
  messageId: string,
): Promise<boolean> {
  const updated = await sql`
    with sent as (
      update outreach o
      set status = case when o.status in ('queued', 'canceled') then 'sent' else o.status end,
          sent_at = coalesce(o.sent_at, o.send_started_at, now()), provider_message_id = ${messageId}::varchar,
          send_started_at = null, lease_until = null, last_error = null
      where ${isRow(sql, row)} and o.claim_id = ${owner.claimId}::uuid
        and o.send_started_at is not null
      returning o.id, o.queued_at, o.application_id
    ), charged as (
      insert into send_charges (outreach_id, queued_at, user_id)
      select s.id, s.queued_at, a.user_id from sent s join applications a on a.id = s.application_id
      on conflict do nothing
    )
    select id from sent`;
  return updated.length === 1;
}

/** Leaves a row queued for another try at `dueAt` (temporary failure, send window, lookup pending). */
export async function rescheduleOutreach(
  sql: Sql,
  row: RowKey,
  owner: RowOwner,
  dueAt: Date | null,
  error: string | null,
  options: { clearAttempt?: boolean } = {},
): Promise<boolean> {
  const updated = await sql`
    update outreach o
    set due_at = coalesce(${dueAt}::timestamptz, o.due_at), lease_until = null,
        last_error = coalesce(${error}::text, o.last_error),
        send_started_at = case when ${
    options.clearAttempt ?? false
  }::boolean then null else o.send_started_at end
    where ${isRow(sql, row)} and o.status = 'queued' and ${ownedBy(sql, owner)}
    returning o.id`;
  return updated.length === 1;
}

/** Keeps a maybe-sent row away from other dispatchers until `until` (its provider lookup is not conclusive yet). */
export async function holdUncertainOutreach(
  sql: Sql,
  row: RowKey,
  owner: RowOwner,
  until: Date,
  error: string,
): Promise<void> {
  await sql`
    update outreach o set lease_until = ${until}::timestamptz, last_error = ${error}::text
    where ${isRow(sql, row)} and o.status = 'queued' and ${ownedBy(sql, owner)}`;
}

/** Ends a row as failed with its reason (permanent refusal, retries exhausted, unknowable outcome). */
export async function markFailed(sql: Sql, row: RowKey, owner: RowOwner, reason: string): Promise<void> {
  await sql`
    update outreach o
    set status = 'failed', last_error = ${
    reason.slice(0, 2000)
  }::text, send_started_at = null, lease_until = null
    where ${isRow(sql, row)} and o.status = 'queued' and ${ownedBy(sql, owner)}`;
}

/** Gives claimed rows back at once (the dispatcher stops early: no mailbox capacity, shutdown). */
export async function releaseClaims(sql: Sql, rows: RowKey[], owner: ClaimOwner): Promise<void> {
  if (!rows.length) return;
  await sql`
    update outreach set lease_until = null
    where id = any(${
    rows.map((r) => r.id)
  }::int[]) and claim_id = ${owner.claimId}::uuid and status = 'queued'
      and send_started_at is null`;
}
