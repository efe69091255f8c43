/**
 * Why a queued email has not gone out yet, and when it is expected to
 * (contract §6: `waiting_reason` and `expected_at` on the timeline). One
 * ordered list of rules: the first that applies names the reason. Each rule
 * is a small pure function of the row and the sending state, so a new reason
 * (an earlier step, a follow-up mailbox, a plan limit, ...) is one more entry
 * in `RULES` at its place in the order, plus whatever its data needs in
 * `WaitingRow` or `SendingState`.
 */
import { nextSendTime } from "./send_window.ts";

export type WaitingReason =
  | "no_mailbox"
  | "mailbox_cap"
  | "mailbox_paused"
  | "send_window"
  | "follow_up_mailbox"
  | "sequence_paused"
  | "earlier_step"
  | "plan_limit"
  | "unverified"
  | "auto_reply_delay";

/** What a rule may know of one outreach row. */
export interface WaitingRow {
  status: string;
  due_at: Date;
  paused_at: Date | null;
  send_window: boolean;
  /** The dispatcher is sending it right now. */
  sending: boolean;
  /**
   * Held back by the real-mail rules (issue 11; db/outreach_holds.ts, db/inbound_messages.ts):
   * `earlier_step`, `follow_up_mailbox` or `auto_reply_delay`.
   */
  hold_reason?: string | null;
}

/** What a rule may know of the world: the mailboxes, the sender's time zone, the clock. */
export interface SendingState {
  /** Every mailbox. */
  mailboxes: number;
  /** Active or warming up and healthy enough to send (whatever their count today). */
  usable: number;
  /** Usable and under today's cap. */
  available: number;
  /** The sender's `users.timezone`. */
  timezone: string;
  /** The sender's account holds sending back (SQL `sending_block`, migration 0065): unverified or a plan limit. */
  account?: "unverified" | "plan_limit" | null;
  now: Date;
}

export interface Waiting {
  waiting_reason: WaitingReason | null;
  /** When the email is expected to go out; null when that depends on someone acting (resume, add a mailbox). */
  expected_at: Date | null;
}

/** A rule: the answer when it applies to the row, else undefined. */
export type WaitingRule = (row: WaitingRow, state: SendingState) => Waiting | undefined;

const MINUTE = 60_000;

/** The dispatcher runs every minute: a due row goes out at the next minute. */
function nextTick(at: Date): Date {
  return new Date(Math.ceil((at.getTime() + 1) / MINUTE) * MINUTE);
}

/** The next 00:00 UTC, when the daily counters start again. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** The first instant at or after `at` the row may go out, its send window applied. */
function windowed(row: WaitingRow, at: Date, state: SendingState): Date {
  return row.send_window ? nextSendTime(at, state.timezone) : at;
}

const earliest = (row: WaitingRow, state: SendingState) =>
  new Date(Math.max(row.due_at.getTime(), state.now.getTime()));

const sequencePaused: WaitingRule = (row) =>
  row.paused_at ? { waiting_reason: "sequence_paused", expected_at: null } : undefined;

/** Unverified address or a plan limit reached: no time can be promised (a link, a new day or month, credits). */
const accountBlock: WaitingRule = (_row, state) =>
  state.account ? { waiting_reason: state.account, expected_at: null } : undefined;

const noMailbox: WaitingRule = (_row, state) =>
  state.mailboxes === 0 ? { waiting_reason: "no_mailbox", expected_at: null } : undefined;

const mailboxPaused: WaitingRule = (_row, state) =>
  state.usable === 0 ? { waiting_reason: "mailbox_paused", expected_at: null } : undefined;

/** Every usable mailbox is at its cap: the row waits for 00:00 UTC unless it is due after that anyway. */
const mailboxCap: WaitingRule = (row, state) => {
  if (state.available > 0) return undefined;
  const midnight = nextUtcMidnight(state.now);
  if (row.due_at >= midnight) return undefined;
  return { waiting_reason: "mailbox_cap", expected_at: windowed(row, midnight, state) };
};

const sendWindow: WaitingRule = (row, state) => {
  if (!row.send_window) return undefined;
  const at = earliest(row, state);
  const open = nextSendTime(at, state.timezone);
  return open.getTime() > at.getTime() + 1000
    ? { waiting_reason: "send_window", expected_at: open }
    : undefined;
};

/**
 * A row the dispatcher or an auto-reply held back (issue 11): it waits for an earlier step, for step 1's
 * mailbox, or until after the contact's return date. An auto-reply delay ends at its due time.
 */
const realMailHold: WaitingRule = (row, state) => {
  const reason = row.hold_reason;
  if (reason !== "earlier_step" && reason !== "follow_up_mailbox" && reason !== "auto_reply_delay") {
    return undefined;
  }
  if (reason === "auto_reply_delay" && row.due_at <= state.now) return undefined;
  return {
    waiting_reason: reason,
    expected_at: reason === "follow_up_mailbox" ? null : windowed(row, earliest(row, state), state),
  };
};

/** The rules in order: the first that applies wins. Add a reason here. */
export const RULES: WaitingRule[] = [
  sequencePaused,
  accountBlock,
  realMailHold,
  noMailbox,
  mailboxPaused,
  mailboxCap,
  sendWindow,
];

/**
 * The reason a row waits and when it should go out. A row no longer queued,
 * or being sent right now, waits for nothing (`expected_at` null); a queued
 * row no rule holds back goes at its due time (the next dispatcher tick once
 * due).
 *
 * @example
 * waitingFor({ status: "queued", due_at, paused_at: null, send_window: false, sending: false },
 *   { mailboxes: 0, usable: 0, available: 0, timezone: "UTC", now }) // { waiting_reason: "no_mailbox", ... }
 */
export function waitingFor(row: WaitingRow, state: SendingState, rules: WaitingRule[] = RULES): Waiting {
  if (row.status !== "queued" || row.sending) return { waiting_reason: null, expected_at: null };
  for (const rule of rules) {
    const answer = rule(row, state);
    if (answer) return answer;
  }
  const at = earliest(row, state);
  return { waiting_reason: null, expected_at: at > state.now ? at : nextTick(state.now) };
}

/** Words for people, for the timeline, the dashboard and the admin page. */
export const WAITING_TEXT: Record<WaitingReason, string> = {
  no_mailbox: "No sending mailbox has been set up yet",
  mailbox_cap: "Every mailbox has reached today's limit; sending resumes at 00:00 UTC",
  mailbox_paused: "Every mailbox is paused",
  send_window: "Waiting for the send window (weekdays 08:00–18:00 your time)",
  follow_up_mailbox: "Waiting for the mailbox that sent the first email",
  sequence_paused: "You paused this sequence",
  earlier_step: "Waiting for the earlier email to go out",
  plan_limit: "Your plan's sending limit is reached",
  unverified: "Waiting for you to verify your email address",
  auto_reply_delay: "Waiting after an automatic reply",
};
