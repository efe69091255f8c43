/**
 * Inbound mail: what the inbound webhook stores for every message (classified, matched or not) and what it
 * does to the outreach it answers. Runs as the owner (webhook, admin route); the timeline reads a user's own
 * matched messages through `withUser` (row-level security, migration 0050).
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { applyPermanentFailure, type EventTarget, TARGET_COLUMNS } from "./outreach_events.ts";
import type { Classification, InboundKind } from "@/core/mail/inbound_classify.ts";

/** The outreach whose own Message-ID or provider message id is one of `ids` (newest send first). */
export async function findOutreachByMessageIds(sql: Sql, ids: string[]): Promise<EventTarget | undefined> {
  if (!ids.length) return undefined;
  const [row] = await sql.unsafe<EventTarget[]>(
    `select ${TARGET_COLUMNS} from outreach
     where message_id = any($1::varchar[]) or provider_message_id = any($1::varchar[])
     order by sent_at desc nulls last limit 1`,
    [ids],
  );
  return row;
}

/**
 * For a bounce report that names no message we know: the latest outreach sent to that address in the last
 * 30 days (a bounce comes within minutes to days of the send).
 */
export async function findOutreachByRecipient(sql: Sql, email: string): Promise<EventTarget | undefined> {
  const [row] = await sql.unsafe<EventTarget[]>(
    `select ${
      TARGET_COLUMNS.replace(/(^|, )(\w+)/g, "$1o.$2")
    } from outreach o join contacts c on c.id = o.contact_id
     where lower(c.email) = lower($1::varchar) and o.sent_at > now() - interval '30 days'
       and o.queued_at > now() - interval '60 days'
     order by o.sent_at desc limit 1`,
    [email],
  );
  return row;
}

/**
 * For an auto-reply that names no message (some responders leave out In-Reply-To): the outreach sent to the
 * sender's address in the last 14 days, only when exactly one application mailed that address then (contacts
 * are shared, so two users may have); otherwise nothing.
 */
export async function findOutreachBySender(sql: Sql, email: string): Promise<EventTarget | undefined> {
  const rows = await sql.unsafe<(EventTarget & { apps: number })[]>(
    `with sent as (
       select ${TARGET_COLUMNS.replace(/(^|, )(\w+)/g, "$1o.$2")}, o.sent_at as at
       from outreach o join contacts c on c.id = o.contact_id
       where lower(c.email) = lower($1::varchar) and o.sent_at > now() - interval '14 days'
         and o.queued_at > now() - interval '60 days'
     )
     select id, queued_at, application_id, contact_id, mailbox_id, from_mailbox, status,
            (select count(distinct application_id) from sent) as apps
     from sent order by at desc limit 1`,
    [email],
  );
  const [row] = rows;
  if (!row || Number(row.apps) !== 1) return undefined;
  const { apps: _apps, ...target } = row;
  return target;
}

export interface InboundRecord {
  classification: Classification;
  messageId?: string;
  sender?: string;
  from?: string;
  subject?: string;
  inReplyTo?: string;
  references?: string;
  strippedText?: string;
  rawHeaders: [string, string][];
}

export interface InboundMatch {
  target: EventTarget;
  by: "in_reply_to" | "report_message_id" | "final_recipient" | "sender";
}

export interface InboundResult {
  result: "applied" | "duplicate" | "stored";
  action: "replied" | "delayed" | "bounced" | "stored" | "unmatched";
  /** inbound_messages.id, a bigserial: postgres.js answers int8 as a string. */
  id: string;
  delayed_until?: Date;
}

/**
 * Stores the message and acts on its kind, in one transaction: a human reply marks the outreach replied (the
 * seed's trigger cancels the later steps and moves the application); an auto-reply moves the contact's queued
 * steps of that application to the day after the return date (else by `autoReplyDelayDays`), cancels nothing;
 * a bounce notice is a permanent failure (row bounced, bounce counted, later steps canceled); other mail is
 * only stored. The same Message-ID a second time answers "duplicate" and changes nothing.
 * `claim`: the webhook's signature token, stored in the same transaction when given (a replay loses here).
 */
export async function storeInbound(
  sql: Sql,
  record: InboundRecord,
  match: InboundMatch | undefined,
  options: { autoReplyDelayDays: number; claim?: (tx: Tx) => Promise<boolean> },
): Promise<InboundResult | "replay"> {
  return await sql.begin(async (tx) => {
    if (options.claim && !(await options.claim(tx))) return "replay";
    const c = record.classification;
    const target = match?.target;
    const action = !target
      ? "unmatched"
      : c.kind === "human"
      ? "replied"
      : c.kind === "auto_reply"
      ? "delayed"
      : c.kind === "bounce"
      ? "bounced"
      : "stored";
    const [stored] = await tx<{ id: string }[]>`
      insert into inbound_messages (kind, reasons, message_id, sender, from_header, subject, in_reply_to,
        references_header, return_date, bounce_message_id, bounce_recipient, bounce_status, bounce_diagnostic,
        outreach_id, application_id, contact_id, matched_by, action, stripped_text, raw_headers)
      values (${c.kind}::varchar, ${c.reasons}::text[], ${record.messageId?.slice(0, 998) ?? null}::varchar,
        ${record.sender?.slice(0, 998) ?? null}::varchar, ${record.from ?? null}::text,
        ${record.subject ?? null}::text, ${record.inReplyTo ?? null}::text, ${
      record.references ?? null
    }::text,
        ${c.returnDate ?? null}::date, ${c.bounce?.originalMessageId?.slice(0, 998) ?? null}::varchar,
        ${c.bounce?.recipient?.slice(0, 998) ?? null}::varchar, ${c.bounce?.status ?? null}::varchar,
        ${c.bounce?.diagnostic ?? null}::text, ${target?.id ?? null}::int, ${
      target?.application_id ?? null
    }::int,
        ${target?.contact_id ?? null}::int, ${match?.by ?? null}::varchar, ${action}::varchar,
        ${record.strippedText?.slice(0, 20_000) ?? null}::text, ${tx.json(record.rawHeaders as never)}::jsonb)
      on conflict (message_id) where message_id is not null do nothing
      returning id`;
    if (!stored) {
      const [first] = await tx<{ id: string; action: InboundResult["action"] }[]>`
        select id, action from inbound_messages where message_id = ${record.messageId!}::varchar`;
      return { result: "duplicate", action: first.action, id: first.id };
    }
    if (!target) return { result: "stored", action, id: stored.id };
    const row = tx`id = ${target.id}::int and queued_at = ${target.queued_at}::text::timestamptz`;
    const payload = { inbound_id: stored.id, kind: c.kind, subject: record.subject, sender: record.sender };
    switch (c.kind) {
      case "human":
        await tx`
          insert into outreach_events (outreach_id, event, mailbox_email, contact_id, provider_event_id, payload)
          values (${target.id}::int, 'replied', ${
          target.from_mailbox || null
        }::varchar, ${target.contact_id}::int,
                  ${record.messageId ? `inbound:${record.messageId}`.slice(0, 255) : null}::varchar,
                  ${tx.json(payload)}::jsonb)
          on conflict (provider_event_id) do nothing`;
        await tx`
          update outreach set status = 'replied', replied_at = coalesce(replied_at, now())
          where ${row} and status <> 'replied'`;
        return { result: "applied", action, id: stored.id };
      case "auto_reply": {
        // The day after the return date (09:00 UTC), else the configured delay; a step already due later stays.
        const [{ until }] = await tx<{ until: Date }[]>`
          select coalesce(${c.returnDate ?? null}::date + 1 + interval '9 hours',
                          now() + ${options.autoReplyDelayDays}::int * interval '1 day')::timestamptz as until`;
        await tx`
          update outreach set due_at = greatest(due_at, ${until}::timestamptz), hold_reason = 'auto_reply_delay'
          where application_id = ${target.application_id}::int and contact_id = ${target.contact_id}::int
            and status = 'queued' and send_started_at is null`;
        await tx`update inbound_messages set delayed_until = ${until}::timestamptz where id = ${stored.id}::bigint`;
        return { result: "applied", action, id: stored.id, delayed_until: until };
      }
      case "bounce":
        await applyPermanentFailure(tx, target, new Date(), {
          countBounce: true,
          eventId: record.messageId ? `inbound:${record.messageId}`.slice(0, 255) : undefined,
          payload,
        });
        return { result: "applied", action, id: stored.id };
      default:
        return { result: "applied", action, id: stored.id };
    }
  });
}

/** One stored inbound message as the admin list and the timeline show it. */
export interface InboundView {
  /** A bigserial, answered as a string. */
  id: string;
  received_at: Date;
  kind: InboundKind;
  reasons: string[];
  message_id: string | null;
  sender: string | null;
  from_header: string | null;
  subject: string | null;
  return_date: string | null;
  bounce_message_id: string | null;
  bounce_recipient: string | null;
  bounce_status: string | null;
  bounce_diagnostic: string | null;
  outreach_id: number | null;
  application_id: number | null;
  contact_id: number | null;
  matched_by: string | null;
  action: string;
  delayed_until: Date | null;
}

const VIEW = (tx: Tx | Sql) =>
  tx`id, received_at, kind, reasons, message_id, sender, from_header, subject, return_date::text as return_date,
     bounce_message_id, bounce_recipient, bounce_status, bounce_diagnostic, outreach_id, application_id,
     contact_id, matched_by, action, delayed_until`;

/** `GET /api/admin/inbound`: newest first, optionally one kind, matched or unmatched only; with raw headers. */
export async function listInbound(
  sql: Sql,
  filter: { kind?: InboundKind; matched?: boolean; limit: number },
): Promise<(InboundView & { raw_headers: unknown; stripped_text: string | null })[]> {
  return await sql<(InboundView & { raw_headers: unknown; stripped_text: string | null })[]>`
    select ${VIEW(sql)}, raw_headers, stripped_text from inbound_messages
    where (${filter.kind ?? null}::varchar is null or kind = ${filter.kind ?? null}::varchar)
      and (${filter.matched ?? null}::boolean is null or (outreach_id is not null) = ${
    filter.matched ?? null
  }::boolean)
    order by received_at desc, id desc
    limit ${filter.limit}::int`;
}

/** For the timeline, as its user sees it (RLS): the application's inbound messages, oldest first. */
export async function getMailStateForApplication(
  sql: Sql,
  userId: number,
  applicationId: number,
): Promise<{ inbound: InboundView[] }> {
  return await withUser(sql, userId, async (tx) => {
    const inbound = await tx<InboundView[]>`
      select ${VIEW(tx)} from inbound_messages where application_id = ${applicationId}::int
      order by received_at, id`;
    return { inbound };
  });
}
