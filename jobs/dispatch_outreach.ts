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
 *
 * Steps 4 and 6 of the messages in flight are written together ("group
 * commit"): a row that reaches step 4 joins the statement being prepared, and
 * each statement takes every row that arrived while the previous one ran. A
 * row is still sent only after its own attempt is committed, and a send never
 * waits for other sends, so the guarantee is the per-row one; only the number
 * of statements shrinks (measured in docs/outreach.md, "Throughput").
 */
import {
  cancelBlockedOutreach,
  claimDueOutreach,
  type ClaimedOutreach,
  holdUncertainOutreach,
  markFailed,
  markRecoveredSent,
  markSendingMany,
  markSentMany,
  releaseClaims,
  rescheduleOutreach,
  type SendingMark,
} from "@/db/outreach_dispatch.ts";
import {
  hasMailboxCapacity,
  recordMailboxFailure,
  recordMailboxSuccess,
  releaseMailbox,
} from "@/db/mailboxes.ts";
import { MailboxPool } from "@/services/outreach/mailbox_pool.ts";
import { cancelClaimedOutreach, holdOutreach } from "@/db/outreach_holds.ts";
import { earlierStepGate, followUpMailboxGate, type Gate } from "@/core/outreach_gates.ts";
import { newMessageId, withOptOutLine } from "@/core/mail/compose.ts";
import { config } from "@/fresh.config.ts";
import { nextSendTime } from "@/core/send_window.ts";
import { transportFromConfig } from "@/services/mail/transport.ts";
import type { Transport } from "@/core/mail/types.ts";

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
  /** How long a follow-up waits for step 1's mailbox before it fails (issue 11). */
  followUpMailboxWaitMs?: number;
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

/**
 * Group commit: `add` queues one item and resolves with its own answer; one
 * `flush` statement at a time takes every item queued so far (at most `max`),
 * so a lone caller waits for one statement (and a timer tick), and callers arriving while a
 * statement runs share the next one. A deadlock between dispatchers (bulk
 * writes touch shared application and contact rows) is retried: the statement
 * was rolled back whole.
 */
class GroupCommit<I, R> {
  #pending: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  #drainers = 0;
  /**
   * `lingerMs`: how long a statement waits to gather more items when fewer than `max` are queued (0: one
   * timer tick). For writes nobody waits on (outcomes), a few milliseconds give much larger groups.
   * `parallel`: statements at once (each on its own connection): a caller arriving while one runs starts the
   * next at once instead of waiting for it.
   */
  constructor(
    private readonly flush: (items: I[]) => Promise<R[]>,
    private readonly options: { max?: number; lingerMs?: number; parallel?: number } = {},
  ) {}

  add(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#drainers < (this.options.parallel ?? 1)) {
        // Wait one tick (or the linger): workers released together (a capacity round) share the statement.
        this.#drainers++;
        setTimeout(() => this.#drain(), this.options.lingerMs ?? 0);
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      const max = this.options.max ?? 500;
      for (let first = true; this.#pending.length; first = false) {
        if (!first && this.options.lingerMs && this.#pending.length < max) await sleep(this.options.lingerMs);
        const group = this.#pending.splice(0, max);
        if (!group.length) break;
        try {
          const answers = await withDeadlockRetry(() => this.flush(group.map((p) => p.item)));
          group.forEach((p, i) => p.resolve(answers[i]));
        } catch (error) {
          for (const p of group) p.reject(error);
        }
      }
    } finally {
      this.#drainers--;
    }
  }
}

/**
 * Marks a promise that is awaited later as handled now: a rejection before then must not count as an
 * unhandled one (which ends a Deno process); awaiting it still throws.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withDeadlockRetry<T>(fn: () => Promise<T>, tries = 5): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= tries || (code !== "40P01" && code !== "40001")) throw error;
      await sleep(5 + Math.random() * 20 * attempt);
    }
  }
}

interface Batch {
  claimId: string;
  /** Rows no worker has picked up yet. */
  queue: ClaimedOutreach[];
  /** Rows being worked on. */
  active: number;
  closed: boolean;
  /** The last check and the attempt, for the rows of this claim. */
  marks: GroupCommit<SendingMark, boolean>;
  /** Outcomes being recorded; the batch ends only when they are. */
  outcomes: Promise<unknown>[];
  /** Claimed rows nothing was done with: released together at the end of the batch. */
  untouched: Set<ClaimedOutreach>;
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
    batchSize: options.batchSize ?? 200,
    concurrency: options.concurrency ?? 32,
    leaseSeconds: options.leaseSeconds ?? 300,
    recoveryGraceMs: options.recoveryGraceMs ?? 15 * 60_000,
    maxAttempts: options.maxAttempts ?? 6,
    pauseMailboxAfter: options.pauseMailboxAfter ?? 5,
    followUpMailboxWaitMs: options.followUpMailboxWaitMs ?? 3 * 86_400_000,
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

  // One capacity pool and one outcome writer for the whole run; batches follow each other without a pause: the
  // next batch is claimed while the last rows of the previous one are still in flight, and each batch is closed
  // (its unused claims given back) once its rows are done. A capacity round asks for what the waiting rows
  // need, at most twice the messages in flight: a crash strands at most that many reserved units for the day.
  const pool = new MailboxPool(() => Math.min(waiting + 1, 2 * Math.max(1, o.concurrency)), {
    multiUnit: true,
  });
  // Outcomes wait up to 20 ms to be written together: nothing waits on them but the end of their batch, and a
  // crash meanwhile only leaves more "maybe sent" rows, which recovery finds at the provider.
  const sentOutcomes = new GroupCommit(markSentMany, { lingerMs: 20 });
  let waiting = 0; // claimed rows not yet picked up by a worker, over all batches
  let claiming: Promise<unknown> | undefined;
  let claimError: { error: unknown } | undefined;
  let finished = false; // nothing due, capacity gone, time up or aborted: no more batches
  const closing: Promise<void>[] = [];
  const batches: Batch[] = []; // open: rows waiting or in work
  const allBatches: Batch[] = [];

  const claimBatch = async (): Promise<Batch | undefined> => {
    if (
      finished || result.no_capacity || result.batches >= o.maxBatches ||
      Date.now() - started >= o.maxRuntimeMs || options.signal?.aborted
    ) {
      finished = true;
      return undefined;
    }
    // Without capacity, maybe-sent rows are still reconciled (a lookup needs no capacity), then the run ends.
    if (pool.exhausted || !(await hasMailboxCapacity())) result.no_capacity = true;
    const claimId = crypto.randomUUID();
    const rows = await claimDueOutreach(claimId, o.batchSize, o.leaseSeconds, {
      maybeSentOnly: result.no_capacity,
    });
    if (!rows.length || result.no_capacity) finished = true;
    if (!rows.length) return undefined;
    result.batches++;
    result.claimed += rows.length;
    waiting += rows.length;
    const batch: Batch = {
      claimId,
      queue: [...rows],
      active: 0,
      closed: false,
      untouched: new Set(rows),
      marks: new GroupCommit((items: SendingMark[]) => markSendingMany(items, claimId)),
      outcomes: [],
    };
    batches.push(batch);
    allBatches.push(batch);
    return batch;
  };

  // The next batch is claimed when fewer rows than workers are left waiting, so it is ready when they are done.
  const prefetch = () => {
    if (finished || claiming) return;
    claiming = claimBatch()
      .catch((error) => {
        claimError ??= { error };
        finished = true;
      })
      .finally(() => (claiming = undefined));
  };

  const nextRow = async (): Promise<[ClaimedOutreach, Batch] | undefined> => {
    while (!options.signal?.aborted) {
      if (claimError) throw claimError.error;
      const batch = batches.find((b) => b.queue.length > 0);
      if (batch) {
        const row = batch.queue.shift()!;
        waiting--;
        batch.active++;
        if (waiting < o.concurrency) prefetch();
        return [row, batch];
      }
      if (finished && !claiming) return undefined;
      prefetch();
      await claiming;
    }
    return undefined;
  };

  const done = (batch: Batch) => {
    batch.active--;
    if (batch.active === 0 && batch.queue.length === 0) {
      batches.splice(batches.indexOf(batch), 1);
      closing.push(handled(closeBatch(batch)));
    }
  };

  const closeBatch = async (batch: Batch): Promise<void> => {
    if (batch.closed) return;
    batch.closed = true;
    const left = batch.queue.splice(0);
    waiting -= left.length;
    await Promise.allSettled(batch.outcomes);
    await Promise.all(batch.outcomes); // an outcome that could not be recorded fails the run (row stays maybe sent)
    await releaseClaims([...batch.untouched], batch.claimId);
  };

  const worker = async () => {
    for (let next = await nextRow(); next; next = await nextRow()) {
      const [row, batch] = next;
      try {
        if (result.no_capacity && !row.send_started_at) continue; // left untouched: released with its batch
        batch.untouched.delete(row);
        await processRow(row, batch);
      } finally {
        done(batch);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  } finally {
    await pool.close();
    // Every batch is closed, also one left with rows when the run stopped early (they go back unclaimed).
    await claiming;
    for (const batch of allBatches) closing.push(handled(closeBatch(batch)));
    await Promise.allSettled(closing);
  }
  await Promise.all(closing);
  if (claimError) throw claimError.error;
  result.ms = Date.now() - started;
  return result;

  /** Carries out a real-mail rule (core/outreach_gates.ts) on a claimed row that is not sent now. */
  async function applyGate(row: ClaimedOutreach, claimId: string, gate: Gate): Promise<void> {
    if (gate.action === "cancel") {
      if (await cancelClaimedOutreach(row, claimId, gate.reason)) result.canceled++;
    } else if (gate.action === "fail") {
      await markFailed(row, { claimId }, gate.reason);
      result.failed++;
    } else {
      await holdOutreach(row, claimId, gate.until, gate.reason);
      result.deferred++;
    }
  }

  async function processRow(row: ClaimedOutreach, batch: Batch): Promise<void> {
    const { claimId } = batch;
    // 1. A crash may have left this row "maybe sent": ask the provider before anything else.
    if (row.send_started_at) {
      const mailbox = row.attempt_mailbox ?? undefined;
      const found = mailbox
        ? await transport.lookup(
          row.outreach_token,
          mailbox,
          row.send_started_at,
          row.message_id ?? undefined,
        )
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

    // 1b. A follow-up waits for the earlier steps of its sequence, and is dropped when one was never sent.
    const gate = earlierStepGate(row);
    if (gate) return await applyGate(row, claimId, gate);

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
    //    A follow-up goes out from step 1's mailbox or waits for it (never from another address).
    const followUp = row.step_no > 1 && row.preferred_mailbox_id !== null;
    const mailbox = await pool.take(row.preferred_mailbox_id, { only: followUp });
    if (!mailbox && followUp && !row.send_started_at) {
      return await applyGate(row, claimId, followUpMailboxGate(row, null, o.followUpMailboxWaitMs));
    }
    if (!mailbox) {
      result.no_capacity = true;
      // An ordinary row goes back with the batch's other unused claims (one statement, `releaseClaims`).
      if (row.send_started_at) await rescheduleOutreach(row, { claimId }, null, null);
      else batch.untouched.add(row);
      return;
    }

    // 4. Last check, and the attempt recorded before the provider hears of it (committed before the send:
    //    the statement is shared with the other rows that reached this step meanwhile).
    const attemptId = crypto.randomUUID();
    // Our own Message-ID, stored with the attempt; a maybe-sent row sent again keeps its first one.
    const messageId = row.send_started_at && row.message_id
      ? row.message_id
      : newMessageId(row.outreach_token, mailbox.domain);
    if (!(await batch.marks.add({ row, attemptId, mailbox, messageId }))) {
      await releaseMailbox(mailbox);
      if (await cancelBlockedOutreach(row, claimId)) result.canceled++;
      return;
    }
    await options.beforeSend?.(row);

    // 5. The provider.
    const unsubscribeUrl = `${baseUrl}/unsubscribe/${row.unsubscribe_token}`;
    const outcome = await transport.send({
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
    });

    // 6. The outcome.
    switch (outcome.kind) {
      case "sent":
        // Recorded together with the other outcomes of the moment; the batch waits for it before it ends.
        result.sent++;
        batch.outcomes.push(handled(sentOutcomes.add({ row, attemptId, messageId: outcome.messageId })));
        if (mailbox.consecutive_failures > 0) await recordMailboxSuccess(mailbox.id);
        return;
      case "temporary": {
        await releaseMailbox(mailbox);
        // A rate limit (Mailgun 420/429) says nothing about the mailbox's health, and says when to come back.
        const rateLimited = outcome.status === 420 || outcome.status === 429;
        if (!rateLimited && (await recordMailboxFailure(mailbox.id, outcome.error, o.pauseMailboxAfter))) {
          await pool.drop(mailbox.id);
        }
        const attempts = row.send_attempts + 1;
        if (outcome.retryAt) {
          await rescheduleOutreach(row, { attemptId }, outcome.retryAt, outcome.error, {
            clearAttempt: true,
          });
          result.retried++;
        } else if (attempts >= o.maxAttempts) {
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
        await releaseMailbox(mailbox);
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
