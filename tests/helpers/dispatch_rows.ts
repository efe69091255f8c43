/**
 * Rows and mailboxes in the shapes db/outreach_dispatch.ts and db/mailboxes.ts return, for the engine's tests
 * that run on an in-memory store (services/outreach/*_test.ts).
 */
import type { ClaimedOutreach } from "@/db/outreach_dispatch.ts";
import type { ReservedMailbox } from "@/db/mailboxes.ts";

/** A claimed, due outreach row number `id` (contact `id`), with `extra` on top. */
export function claimedRow(id: number, extra: Partial<ClaimedOutreach> = {}): ClaimedOutreach {
  return {
    id,
    queued_at: "2031-01-01 00:00:00+00",
    application_id: 1,
    contact_id: id,
    step_no: 1,
    subject: "Hello",
    body: "Hi",
    outreach_token: `t${id}`,
    unsubscribe_token: `u${id}`,
    send_window: false,
    send_attempts: 0,
    send_started_at: null,
    mailbox_id: null,
    contact_email: `c${id}@people.example`,
    timezone: null,
    preferred_mailbox_id: null,
    attempt_mailbox: null,
    message_id: null,
    hold_reason: null,
    held_since: null,
    sender_name: null,
    reply_to: null,
    earlier_state: null,
    earlier_due_at: null,
    thread_ids: null,
    ...extra,
  };
}

/** A reserved mailbox with the given id. */
export function reservedMailbox(id: number): ReservedMailbox {
  return {
    id,
    email: "a@mb.example",
    domain: "mb.example",
    smtp_host: "smtp.mb.example",
    smtp_port: 587,
    smtp_username: "a",
    smtp_password_encrypted: "x",
    consecutive_failures: 0,
    counter_day: "2031-01-01",
  };
}
