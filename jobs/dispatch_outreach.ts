/**
 * `dispatch-outreach`: sends every due queued outreach through an available
 * mailbox, exactly once. Idempotent and safe to run in several processes at
 * once; docs/outreach.md states the guarantee and why it holds.
 *
 * One run: claim a batch (leased, SKIP LOCKED), then for each row
 *   1. a row left "maybe sent" by a crash is looked up at the provider first:
 *      found -> recorded as sent; absent after the grace period -> sent again;
 *      otherwise it waits (never a blind resend);
 *   2. outside its send window -> moved to the window's next opening;
 *   3. reserve one unit of a mailbox's capacity (atomic, never over the cap);
 *   4. last check (still queued and ours, contact not opted out/replied) and
 *      record the attempt; 5. call the provider; 6. record the outcome.
 * It stops when nothing is due, no mailbox has capacity, or its time is up.
 */
import {
  cancelBlockedOutreach,
  claimDueOutreach,
  type ClaimedOutreach,
  holdUncertainOutreach,
  markFailed,
  markRecoveredSent,
  markSending,
  markSent,
  releaseClaims,
  rescheduleOutreach,
} from "../db/outreach_dispatch.ts";
import {
  getSendingMailbox,
  hasMailboxCapacity,
  recordMailboxFailure,
  recordMailboxSuccess,
  releaseMailbox,
} from "../db/mailboxes.ts";
import { MailboxPool } from "../lib/mailbox_pool.ts";
import { config } from "../fresh.config.ts";
import { nextSendTime } from "../lib/send_window.ts";
import { transportFromConfig } from "../lib/mail/transport.ts";
import type { Transport } from "../lib/mail/types.ts";

export interface DispatchOptions {
  /** Rows claimed per batch. */
  batchSize?: number;
  /** Messages in flight at once within this process. */
  concurrency?: number;
  /** How long a claim protects a row from other dispatchers. */
  leaseSeconds?: number;
  /**
   * How long after an attempt a provider lookup that finds nothing is
   * trusted enough to send again (Mailgun's events can lag behind).
   */
  recoveryGraceMs?: number;
  /** Attempts before a temporarily failing row ends as failed. */
  maxAttempts?: number;
  /** Consecutive transport failures that pause a mailbox. */
  pauseMailboxAfter?: number;
  /** Stop claiming new batches after this long (the cron runs every minute). */
  maxRuntimeMs?: number;
  /** Stop after this many batches (tests). */
  maxBatches?: number;
  transport?: Transport;
  appBaseUrl?: string;
  signal?: AbortSignal;
  /** Test hook: called after the attempt is recorded, before the provider is called. */
  beforeSend?: (row: ClaimedOutreach) => Promise<void> | void;
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  failed: number;
  retried: number;
  canceled: number;
  deferred: number;
  recovered: number;
  uncertain: number;
  /** Stopped because no mailbox had capacity left. */
  no_capacity: boolean;
  batches: number;
  ms: number;
}

/** Retry delay after the n-th failed attempt: 1, 2, 4, ... minutes, at most 6 hours, with ±20% jitter. */
export function backoffMs(attempt: number): number {
  const base = Math.min(60_000 * 2 ** Math.max(0, attempt - 1), 6 * 3600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Runs the dispatcher once.
 *
 * @example
 * const result = await dispatchOutreach(); // { sent: 12, failed: 0, ... }
 */
export async function dispatchOutreach(options: DispatchOptions = {}): Promise<DispatchResult> {
  const started = Date.now();
  const o = {
    batchSize: options.batchSize ?? 50,
    concurrency: options.concurrency ?? 8,
    leaseSeconds: options.leaseSeconds ?? 300,
    recoveryGraceMs: options.recoveryGraceMs ?? 15 * 60_000,
    maxAttempts: options.maxAttempts ?? 6,
    pauseMailboxAfter: options.pauseMailboxAfter ?? 5,
    maxRuntimeMs: options.maxRuntimeMs ?? 50_000,
    maxBatches: options.maxBatches ?? Infinity,
  };
  const transport = options.transport ?? transportFromConfig();
  const baseUrl = options.appBaseUrl ?? config().appBaseUrl;
  const result: DispatchResult = {
    claimed: 0,
    sent: 0,
    failed: 0,
    retried: 0,
    canceled: 0,
    deferred: 0,
    recovered: 0,
    uncertain: 0,
    no_capacity: false,
    batches: 0,
    ms: 0,
  };

  while (result.batches < o.maxBatches && Date.now() - started < o.maxRuntimeMs && !options.signal?.aborted) {
    // Without capacity, maybe-sent rows are still reconciled (a lookup needs no capacity), then the run ends.
    if (!(await hasMailboxCapacity())) result.no_capacity = true;
    const claimId = crypto.randomUUID();
    const rows = await claimDueOutreach(claimId, o.batchSize, o.leaseSeconds, {
      maybeSentOnly: result.no_capacity,
    });
    if (!rows.length) break;
    result.batches++;
    result.claimed += rows.length;
    const queue = [...rows];
    const untouched = new Set(rows);
    const pool = new MailboxPool(() => queue.length + 1);
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        if (options.signal?.aborted) return;
        if (result.no_capacity && !row.send_started_at) continue; // left untouched: released below
        untouched.delete(row);
        await processRow(row, claimId, pool);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(o.concurrency, rows.length) }, worker));
    } finally {
      await pool.close();
    }
    await releaseClaims([...untouched], claimId);
    if (result.no_capacity) break;
  }
  result.ms = Date.now() - started;
  return result;

  async function processRow(row: ClaimedOutreach, claimId: string, pool: MailboxPool): Promise<void> {
    // 1. A crash may have left this row "maybe sent": ask the provider before anything else.
    if (row.send_started_at) {
      const mailbox = row.mailbox_id ? await getSendingMailbox(row.mailbox_id) : undefined;
      const found = mailbox
        ? await transport.lookup(row.outreach_token, mailbox, row.send_started_at)
        : { kind: "absent" as const };
      if (found.kind === "found") {
        if (await markRecoveredSent(row, claimId, found.messageId)) result.recovered++;
        return;
      }
      const age = Date.now() - row.send_started_at.getTime();
      if (found.kind === "unknown" && transport.name === "smtp" && age >= o.recoveryGraceMs) {
        // SMTP servers keep no log we can query: resending could mail the contact twice.
        await markFailed(row, { claimId }, `send outcome unknown after a crash (${found.error}); not resent`);
        result.failed++;
        return;
      }
      if (found.kind === "unknown" || age < o.recoveryGraceMs) {
        const until = new Date(row.send_started_at.getTime() + o.recoveryGraceMs + 1000);
        const reason = found.kind === "unknown" ? found.error : "absent at the provider so far";
        await holdUncertainOutreach(
          row,
          claimId,
          until < new Date() ? new Date(Date.now() + 60_000) : until,
          reason,
        );
        result.deferred++;
        return;
      }
      // absent long after the attempt: it never arrived; send it (again) below
    }

    // 2. Send window in the sender's time zone.
    if (row.send_window) {
      const next = nextSendTime(new Date(), row.timezone ?? "UTC");
      if (next.getTime() > Date.now() + 1000) {
        await rescheduleOutreach(row, { claimId }, next, null);
        result.deferred++;
        return;
      }
    }

    // 3. Capacity: a unit reserved atomically in PostgreSQL (see MailboxPool).
    const mailbox = await pool.take(row.preferred_mailbox_id);
    if (!mailbox) {
      result.no_capacity = true;
      await rescheduleOutreach(row, { claimId }, null, null);
      return;
    }

    // 4. Last check, and the attempt recorded before the provider hears of it.
    const attemptId = crypto.randomUUID();
    if (!(await markSending(row, claimId, attemptId, mailbox))) {
      await releaseMailbox(mailbox.id);
      if (await cancelBlockedOutreach(row, claimId)) result.canceled++;
      return;
    }
    await options.beforeSend?.(row);

    // 5. The provider.
    const outcome = await transport.send({
      token: row.outreach_token,
      mailbox,
      to: row.contact_email,
      subject: row.subject,
      text: row.body,
      unsubscribeUrl: `${baseUrl}/unsubscribe/${row.unsubscribe_token}`,
    });

    // 6. The outcome.
    switch (outcome.kind) {
      case "sent":
        await markSent(row, attemptId, outcome.messageId);
        if (mailbox.consecutive_failures > 0) await recordMailboxSuccess(mailbox.id);
        result.sent++;
        return;
      case "temporary": {
        await releaseMailbox(mailbox.id);
        if (await recordMailboxFailure(mailbox.id, outcome.error, o.pauseMailboxAfter)) {
          await pool.drop(mailbox.id);
        }
        const attempts = row.send_attempts + 1;
        if (attempts >= o.maxAttempts) {
          await markFailed(row, { attemptId }, `gave up after ${attempts} attempts: ${outcome.error}`);
          result.failed++;
        } else {
          const due = new Date(Date.now() + backoffMs(attempts));
          await rescheduleOutreach(row, { attemptId }, due, outcome.error, { clearAttempt: true });
          result.retried++;
        }
        return;
      }
      case "permanent":
        await releaseMailbox(mailbox.id);
        if (outcome.status === 401 || outcome.status === 403 || outcome.status === 404) {
          if (await recordMailboxFailure(mailbox.id, outcome.error, o.pauseMailboxAfter)) {
            await pool.drop(mailbox.id);
          }
        }
        await markFailed(row, { attemptId }, outcome.error);
        result.failed++;
        return;
      case "uncertain":
        // May have arrived: keep the attempt; a later run looks it up after the grace period.
        if (await recordMailboxFailure(mailbox.id, outcome.error, o.pauseMailboxAfter)) {
          await pool.drop(mailbox.id);
        }
        await holdUncertainOutreach(row, attemptId, new Date(Date.now() + o.recoveryGraceMs), outcome.error);
        result.uncertain++;
        return;
    }
  }
}
