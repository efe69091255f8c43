/**
 * What the dispatcher does with one claimed row, in order (docs/outreach.md states the guarantee):
 *   1. a row left "maybe sent" by a crash is looked up at the provider first: found -> recorded as sent;
 *      absent after the grace period -> sent again; otherwise it waits (never a blind resend);
 *   1b. a follow-up waits for the earlier steps of its sequence, and is dropped when one was never sent;
 *   2. outside its send window -> moved to the window's next opening;
 *   3. one unit of a mailbox's capacity is reserved (atomic, never over the cap);
 *   4. last check (still queued and ours, contact not opted out/replied) and the attempt recorded, committed
 *      before the provider hears of it (shared with the rows that reach this step meanwhile);
 *   5. the provider is called; 6. the outcome is recorded.
 * Every write names the row's owner: the claim until step 4, the attempt from then on.
 */
import type { ClaimedOutreach, ClaimOwner, RowOwner, SendingMark, SentMark } from "@/db/outreach_dispatch.ts";
import type { ReservedMailbox } from "@/db/mailboxes.ts";
import { earlierStepGate, followUpMailboxGate, type Gate } from "@/core/outreach_gates.ts";
import { newMessageId, withOptOutLine } from "@/core/mail/compose.ts";
import { nextSendTime } from "@/core/send_window.ts";
import type { SendOutcome, Transport } from "@/core/mail/types.ts";
import type { Clock } from "@/core/clock.ts";
import { backoffMs } from "./backoff.ts";
import type { Batch } from "./batch.ts";
import type { GroupCommit } from "./group_commit.ts";
import type { MailboxPool } from "./mailbox_pool.ts";
import type { SendSlots } from "./send_slots.ts";
import type { DispatchResult, DispatchSettings } from "./options.ts";
import type { DispatchStore } from "./store.ts";

/** What one run shares with the steps of its rows. */
export interface RowRun {
  readonly store: DispatchStore;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly settings: DispatchSettings;
  readonly baseUrl: string;
  readonly pool: MailboxPool;
  /** The provider's share: at most `concurrency` sends at once, whatever the number of workers. */
  readonly sendSlots: SendSlots;
  /**
   * The last check and the attempt of the run's rows, written together (group commit) whatever their claim:
   * with the next batch claimed at half a batch left, two claims' rows are often in flight at once.
   */
  readonly attempts: GroupCommit<SendingMark, boolean>;
  /** Sent outcomes of the whole run, written together (they wait a little to gather more). */
  readonly sentOutcomes: GroupCommit<SentMark, boolean>;
  readonly result: DispatchResult;
  /** A row found no mailbox with capacity: the run stops taking rows that need one. */
  capacityGone(): void;
  beforeSend?: (row: ClaimedOutreach) => Promise<void> | void;
}

/**
 * Marks a promise that is awaited later as handled now: a rejection before then must not count as an
 * unhandled one (which ends a Deno process); awaiting it still throws.
 */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

export async function processRow(run: RowRun, row: ClaimedOutreach, batch: Batch): Promise<void> {
  const { owner } = batch;
  if (row.send_started_at && (await reconcile(run, row, owner)) === "settled") return;

  const gate = earlierStepGate(row, run.clock.now());
  if (gate) return await applyGate(run, row, owner, gate);

  if (row.send_window) {
    const now = run.clock.now();
    const next = nextSendTime(now, row.timezone ?? "UTC");
    if (next.getTime() > now.getTime() + 1000) {
      await run.store.reschedule(row, owner, next, null);
      run.result.deferred++;
      return;
    }
  }

  // A follow-up goes out from step 1's mailbox or waits for it (never from another address).
  const followUp = row.step_no > 1 && row.preferred_mailbox_id !== null;
  const mailbox = await run.pool.take(row.preferred_mailbox_id, { only: followUp });
  if (!mailbox && followUp && !row.send_started_at) {
    const gate = followUpMailboxGate(
      row,
      null,
      run.settings.followUpMailboxWaitMs,
      undefined,
      run.clock.now(),
    );
    return await applyGate(run, row, owner, gate);
  }
  if (!mailbox) {
    run.capacityGone();
    // An ordinary row goes back with the batch's other unused claims (one statement when the batch closes).
    if (row.send_started_at) await run.store.reschedule(row, owner, null, null);
    else batch.untouched.add(row);
    return;
  }

  const attempt = { attemptId: crypto.randomUUID() };
  // Our own Message-ID, stored with the attempt; a maybe-sent row sent again keeps its first one.
  const messageId = row.send_started_at && row.message_id
    ? row.message_id
    : newMessageId(row.outreach_token, mailbox.domain);
  if (!(await run.attempts.add({ row, owner, attemptId: attempt.attemptId, mailbox, messageId }))) {
    await run.store.releaseUnits([mailbox]);
    if (await run.store.cancelBlocked(row, owner)) run.result.canceled++;
    return;
  }
  await run.beforeSend?.(row);

  const unsubscribeUrl = `${run.baseUrl}/unsubscribe/${row.unsubscribe_token}`;
  const release = await run.sendSlots.acquire();
  if (run.pool.isDropped(mailbox.id)) {
    // Its mailbox started failing (and was paused) while this message waited for a slot: not sent now; the
    // unit goes back and the row stays queued for a later try (its attempt cleared: nothing left the process).
    release();
    await run.store.releaseUnits([mailbox]);
    await run.store.reschedule(row, attempt, null, "mailbox paused before the send", { clearAttempt: true });
    run.result.deferred++;
    return;
  }
  const outcome = await run.transport.send({
    token: row.outreach_token,
    mailbox,
    to: row.contact_email,
    subject: row.subject,
    text: withOptOutLine(row.body, unsubscribeUrl),
    unsubscribeUrl,
    messageId,
    fromName: row.sender_name ?? undefined,
    replyTo: row.reply_to ?? undefined,
    thread: row.thread_ids ?? undefined,
  }).finally(release);
  await recordOutcome(run, row, batch, mailbox, attempt, outcome);
}

/**
 * Step 1: a maybe-sent row is looked up at the provider. "settled" when its fate is written now (found,
 * held for a later lookup, or failed where no lookup can ever tell); "send" when it is known absent long
 * enough after its attempt to be sent again.
 */
async function reconcile(run: RowRun, row: ClaimedOutreach, owner: ClaimOwner): Promise<"settled" | "send"> {
  const startedAt = row.send_started_at!;
  const mailbox = row.attempt_mailbox ?? undefined;
  const found = mailbox
    ? await run.transport.lookup(row.outreach_token, mailbox, startedAt, row.message_id ?? undefined)
    : { kind: "absent" as const };
  if (found.kind === "found") {
    if (await run.store.markRecoveredSent(row, owner, found.messageId)) run.result.recovered++;
    return "settled";
  }
  const grace = run.settings.recoveryGraceMs;
  const now = run.clock.now().getTime();
  const age = now - startedAt.getTime();
  if (found.kind === "unknown" && !run.transport.canLookUp && age >= grace) {
    await run.store.fail(row, owner, `send outcome unknown after a crash (${found.error}); not resent`);
    run.result.failed++;
    return "settled";
  }
  if (found.kind === "unknown" || age < grace) {
    const until = new Date(startedAt.getTime() + grace + 1000);
    const reason = found.kind === "unknown" ? found.error : "absent at the provider so far";
    await run.store.holdUncertain(row, owner, until.getTime() < now ? new Date(now + 60_000) : until, reason);
    run.result.deferred++;
    return "settled";
  }
  return "send"; // absent long after the attempt: it never arrived
}

/** Carries out a real-mail rule (core/outreach_gates.ts) on a claimed row that is not sent now. */
async function applyGate(run: RowRun, row: ClaimedOutreach, owner: ClaimOwner, gate: Gate): Promise<void> {
  if (gate.action === "cancel") {
    if (await run.store.cancel(row, owner, gate.reason)) run.result.canceled++;
  } else if (gate.action === "fail") {
    await run.store.fail(row, owner, gate.reason);
    run.result.failed++;
  } else {
    await run.store.hold(row, owner, gate.until, gate.reason);
    run.result.deferred++;
  }
}

/** Step 6: the provider's answer, written under the attempt. */
async function recordOutcome(
  run: RowRun,
  row: ClaimedOutreach,
  batch: Batch,
  mailbox: ReservedMailbox,
  attempt: Extract<RowOwner, { attemptId: string }>,
  outcome: SendOutcome,
): Promise<void> {
  const { store, settings, result } = run;
  /** Counts a transport failure against the mailbox; the run stops using one that got paused. */
  const failure = async (error: string) => {
    if (await store.recordFailure(mailbox.id, error, settings.pauseMailboxAfter)) {
      await run.pool.drop(mailbox.id);
    }
  };
  switch (outcome.kind) {
    case "sent":
      // Recorded together with the other outcomes of the moment; the batch waits for it before it ends.
      result.sent++;
      batch.outcomes.push(
        handled(run.sentOutcomes.add({ row, attemptId: attempt.attemptId, messageId: outcome.messageId })),
      );
      if (mailbox.consecutive_failures > 0) await store.recordSuccess(mailbox.id);
      return;
    case "temporary": {
      await store.releaseUnits([mailbox]);
      // A rate limit (Mailgun 420/429) says nothing about the mailbox's health, and says when to come back.
      const rateLimited = outcome.status === 420 || outcome.status === 429;
      if (!rateLimited) await failure(outcome.error);
      const attempts = row.send_attempts + 1;
      if (outcome.retryAt) {
        await store.reschedule(row, attempt, outcome.retryAt, outcome.error, { clearAttempt: true });
        result.retried++;
      } else if (attempts >= settings.maxAttempts) {
        await store.fail(row, attempt, `gave up after ${attempts} attempts: ${outcome.error}`);
        result.failed++;
      } else {
        const due = new Date(run.clock.now().getTime() + backoffMs(attempts));
        await store.reschedule(row, attempt, due, outcome.error, { clearAttempt: true });
        result.retried++;
      }
      return;
    }
    case "permanent":
      await store.releaseUnits([mailbox]);
      if (outcome.status === 401 || outcome.status === 403 || outcome.status === 404) {
        await failure(outcome.error);
      }
      await store.fail(row, attempt, outcome.error);
      result.failed++;
      return;
    case "uncertain":
      // May have arrived: keep the attempt; a later run looks it up after the grace period.
      await failure(outcome.error);
      await store.holdUncertain(
        row,
        attempt,
        new Date(run.clock.now().getTime() + settings.recoveryGraceMs),
        outcome.error,
      );
      result.uncertain++;
      return;
  }
}
