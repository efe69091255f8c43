/**
 * What the outside world tells us about sent outreach: Mailgun's event and
 * inbound webhooks, and unsubscribes. Runs as the owner (no user session).
 *
 * Order matters for the webhooks: the signature is checked first, then its
 * token is stored at once (claimWebhookToken), whatever follows; a refusal
 * after that (unknown event, unmatched outreach) writes nothing else. The
 * token lives in PostgreSQL, so a replay is refused across app processes.
 */
import type { Sql, Tx } from "./client.ts";

export interface EventTarget {
  id: number;
  /** Full-precision text: a JS Date would drop the microseconds of this partition-key column. */
  queued_at: string;
  application_id: number;
  contact_id: number;
  mailbox_id: number | null;
  from_mailbox: string;
  status: string;
}

export type EventName = "delivered" | "failed" | "opened" | "clicked" | "complained" | "unsubscribed";

export interface MailgunEvent {
  event: EventName;
  /** For `failed`: Mailgun's `severity`; only `permanent` is a bounce. */
  severity?: string;
  /** For `failed`: Mailgun's `reason` (`suppress-bounce`, `suppress-unsubscribe`, `suppress-complaint`, ...). */
  reason?: string;
  /** For `opened`/`clicked`: Mailgun flagged the client as a bot (`client-info.bot`): stored, not counted. */
  bot?: boolean;
  eventId?: string;
  occurredAt: Date;
  payload: unknown;
}

/** The columns of an `EventTarget` (db/inbound_messages.ts matches inbound mail to the same shape). */
export const TARGET_COLUMNS =
  "id, queued_at::text as queued_at, application_id, contact_id, mailbox_id, from_mailbox, status";

/** The outreach an event is about: by our opaque `v:outreach` token, else by the provider's message id. */
export async function findEventTarget(
  sql: Sql,
  token?: string,
  messageId?: string,
): Promise<EventTarget | undefined> {
  if (token) {
    const [row] = await sql.unsafe<EventTarget[]>(
      `select ${TARGET_COLUMNS} from outreach where outreach_token = $1::varchar limit 1`,
      [token],
    );
    if (row) return row;
  }
  if (messageId) {
    const ids = messageId.startsWith("<") ? [messageId] : [`<${messageId}>`, messageId];
    return await findByMessageIds(sql, ids);
  }
  return undefined;
}

/** The outreach whose stored provider message id is one of `ids` (inbound reply matching). */
export async function findByMessageIds(sql: Sql, ids: string[]): Promise<EventTarget | undefined> {
  if (!ids.length) return undefined;
  const [row] = await sql.unsafe<EventTarget[]>(
    `select ${TARGET_COLUMNS} from outreach where provider_message_id = any($1::varchar[])
     order by sent_at desc nulls last limit 1`,
    [ids],
  );
  return row;
}

/**
 * Claims a webhook signature token on first sight, before anything else is decided, in its own statement:
 * whatever the request's outcome (applied, refused as unknown, unmatched, or failed), the same signature
 * can never be used again, so it cannot be replayed with another body. False when it was seen before.
 * Mailgun signs each delivery attempt anew (a retry would be stale after 5 minutes otherwise).
 */
export async function claimWebhookToken(sql: Sql, token: string): Promise<boolean> {
  const inserted = await sql`
    insert into webhook_tokens (token) values (${token}::varchar) on conflict do nothing returning token`;
  if (Math.random() < 0.01) await sql`delete from webhook_tokens where seen_at < now() - interval '1 day'`;
  return inserted.length === 1;
}

/**
 * Opts a person out: every contact row with the same email (any company, any case) and every queued step
 * to any of them, in any application.
 */
async function optOut(tx: Tx, contactId: number): Promise<void> {
  const same = await tx<{ id: number }[]>`
    update contacts set opted_out = true, opted_out_at = coalesce(opted_out_at, now())
    where lower(email) = (select lower(email) from contacts where id = ${contactId}::int)
    returning id`;
  for (const { id } of same) await cancelQueued(tx, id, "contact opted out");
}

async function cancelQueued(tx: Tx, contactId: number, reason: string): Promise<void> {
  await tx`
    update outreach set status = 'canceled', last_error = ${reason}::text
    where contact_id = ${contactId}::int and status = 'queued' and send_started_at is null`;
}

async function recordEvent(
  tx: Tx,
  target: EventTarget,
  event: string,
  eventId: string | undefined,
  occurredAt: Date,
  payload: unknown,
): Promise<boolean> {
  const inserted = await tx`
    insert into outreach_events (outreach_id, event, mailbox_email, contact_id, occurred_at, provider_event_id, payload)
    values (${target.id}::int, ${event}::varchar, ${
    target.from_mailbox || null
  }::varchar, ${target.contact_id}::int,
            ${occurredAt}::timestamptz, ${eventId ?? null}::varchar, ${tx.json(payload as never)}::jsonb)
    on conflict (provider_event_id) do nothing
    returning id`;
  return inserted.length === 1;
}

/**
 * A permanent `failed` event by its reason (Mailgun's `reason`): `suppress-unsubscribe` and
 * `suppress-complaint` mean the address opted out or complained earlier (the contact is opted out);
 * `suppress-bounce` means it bounced before: the row is bounced, but that bounce was already counted.
 * Anything else is a new bounce.
 */
async function failedEffects(
  tx: Tx,
  target: EventTarget,
  at: Date,
  reason: string | undefined,
): Promise<void> {
  if (reason === "suppress-unsubscribe" || reason === "suppress-complaint") {
    await tx`
      update outreach set status = 'failed', last_error = ${`mailgun suppressed: ${reason}`}::text
      where id = ${target.id}::int and queued_at = ${target.queued_at}::text::timestamptz
        and (status in ('sent', 'delivered') or (status = 'queued' and send_started_at is not null))`;
    await optOut(tx, target.contact_id);
    return;
  }
  await applyPermanentFailure(tx, target, at, { countBounce: reason !== "suppress-bounce" });
}

/**
 * A bounce (a permanent `failed` event, or a bounce notice by mail): the row is `bounced`, the contact's
 * and the mailbox's bounces counted (unless `countBounce` is false: Mailgun's `suppress-bounce` repeats an
 * old one), and every queued row to the contact canceled. With `eventId` it is also recorded as a `bounced`
 * event (the inbound path; the event webhook records its own).
 */
export async function applyPermanentFailure(
  tx: Tx,
  target: EventTarget,
  at: Date,
  options: { countBounce: boolean; eventId?: string; payload?: unknown },
): Promise<void> {
  if (options.eventId !== undefined) {
    const recorded = await recordEvent(tx, target, "bounced", options.eventId, at, options.payload ?? null);
    if (!recorded) return;
  }
  await tx`
    update outreach set status = 'bounced', sent_at = coalesce(sent_at, ${at}::timestamptz)
    where id = ${target.id}::int and queued_at = ${target.queued_at}::text::timestamptz
      and (status in ('sent', 'delivered') or (status = 'queued' and send_started_at is not null))`;
  if (options.countBounce) {
    await tx`update contacts set bounce_count = bounce_count + 1 where id = ${target.contact_id}::int`;
    await tx`update mailboxes set bounce_count_7d = bounce_count_7d + 1 where ${mailboxMatch(tx, target)}`;
  }
  await cancelQueued(tx, target.contact_id, "contact's address bounced");
}

const mailboxMatch = (tx: Tx, target: EventTarget) =>
  target.mailbox_id ? tx`id = ${target.mailbox_id}::int` : tx`email = ${target.from_mailbox}::varchar`;

/**
 * Applies one Mailgun event (its signature token was claimed before: claimWebhookToken). Answers
 * "duplicate" when the same event id was handled before (its effects are not applied twice), else "applied".
 */
export async function applyMailgunEvent(
  sql: Sql,
  target: EventTarget,
  e: MailgunEvent,
): Promise<"applied" | "duplicate"> {
  return await sql.begin(async (tx) => {
    const bounce = e.event === "failed" && e.severity === "permanent";
    const suppressedOptOut = /^suppress-(unsubscribe|complaint)$/.test(e.reason ?? "");
    const recorded = bounce && !suppressedOptOut ? "bounced" : e.event;
    if (!(await recordEvent(tx, target, recorded, e.eventId, e.occurredAt, e.payload))) return "duplicate";
    const at = e.occurredAt;
    const row = tx`id = ${target.id}::int and queued_at = ${target.queued_at}::text::timestamptz`;
    switch (e.event) {
      case "delivered":
        await tx`
          update outreach set delivered_at = coalesce(delivered_at, ${at}::timestamptz),
            sent_at = coalesce(sent_at, ${at}::timestamptz),
            status = case when status = 'sent' or (status = 'queued' and send_started_at is not null)
                          then 'delivered' else status end
          where ${row}`;
        break;
      case "failed":
        if (!bounce) break; // temporary: Mailgun retries by itself; the event is logged above
        await failedEffects(tx, target, at, e.reason);
        break;
      case "opened":
        if (e.bot) break; // a privacy prefetch or a scanner: the event is stored above, nothing counted
        await tx`update outreach set opened_at = coalesce(opened_at, ${at}::timestamptz) where ${row}`;
        break;
      case "clicked":
        if (e.bot) break;
        await tx`
          update outreach set clicked_at = coalesce(clicked_at, ${at}::timestamptz), link_clicks = link_clicks + 1,
            opened_at = coalesce(opened_at, ${at}::timestamptz)
          where ${row}`;
        break;
      case "complained":
        await tx`update contacts set spam_reports = spam_reports + 1 where id = ${target.contact_id}::int`;
        await tx`update mailboxes set spam_reports_7d = spam_reports_7d + 1 where ${
          mailboxMatch(tx, target)
        }`;
        await optOut(tx, target.contact_id);
        break;
      case "unsubscribed":
        await optOut(tx, target.contact_id);
        break;
    }
    return "applied";
  });
}

/**
 * RFC 8058 one-click and the unsubscribe page: opts the contact of the
 * outreach carrying `token` out, at once. Answers the contact's email, or
 * undefined for an unknown token. Idempotent.
 */
export async function unsubscribeByToken(
  sql: Sql,
  token: string,
): Promise<{ email: string } | undefined> {
  const [target] = await sql<{ id: number; contact_id: number; email: string; opted_out: boolean }[]>`
    select o.id, o.contact_id, c.email, c.opted_out from outreach o join contacts c on c.id = o.contact_id
    where o.unsubscribe_token = ${token}::varchar limit 1`;
  if (!target) return undefined;
  if (!target.opted_out) {
    await sql.begin(async (tx) => {
      await optOut(tx, target.contact_id);
      await tx`
        insert into outreach_events (outreach_id, event, contact_id, payload)
        values (${target.id}::int, 'unsubscribed', ${target.contact_id}::int, '{"via":"list-unsubscribe"}'::jsonb)`;
    });
  }
  return { email: target.email };
}

/** Whether an unsubscribe token exists, and whether its contact already opted out (the GET page). */
export async function getUnsubscribeState(
  sql: Sql,
  token: string,
): Promise<{ email: string; opted_out: boolean } | undefined> {
  const [row] = await sql<{ email: string; opted_out: boolean }[]>`
    select c.email, coalesce(c.opted_out, false) as opted_out from outreach o join contacts c on c.id = o.contact_id
    where o.unsubscribe_token = ${token}::varchar limit 1`;
  return row;
}
