/**
 * The outreach dispatcher: sends every due queued outreach through an available mailbox, exactly once.
 * Idempotent and safe to run in several processes at once; docs/outreach.md states the guarantee and why it
 * holds, ./process_row.ts the steps each row goes through.
 *
 * One run claims batches of due rows (leased, SKIP LOCKED: ./batch.ts), and workers take their rows one at a
 * time, at most `concurrency` of them at the provider at once (./send_slots.ts); from 4 in flight there are
 * twice as many workers, so a worker records its row's attempt while the others' messages are on their way
 * (a message whose mailbox got paused meanwhile is not sent: it goes back, its attempt cleared). The next
 * batch is claimed while the previous one is still being worked off (when fewer than half a batch, or fewer
 * rows than workers, are left waiting), so the workers never wait for a claim they could have had: a claim
 * takes 40-100 ms at full scale, in which 16 workers send 40-100 rows.
 * One mailbox pool (./mailbox_pool.ts) and one writer of sent outcomes (./group_commit.ts) serve the whole
 * run.
 *
 * The run's modes, in the manner of graphile-worker's LocalQueue:
 *
 *   RUNNING ─────────── nothing due · time up · batch limit · aborted · a claim failed ──▶ DRAINING
 *   RUNNING, DRAINING ── no mailbox has capacity ─────────────────────────────────────▶ OUT_OF_CAPACITY
 *   any of those ─────── every worker is idle (or one failed) ──────────────────────────▶ CLOSING ──▶ DONE
 *
 * - RUNNING: workers take rows; a batch is claimed when fewer rows than `#prefetchBelow` are waiting.
 * - DRAINING: no batch is claimed any more; the rows already claimed are worked off.
 * - OUT_OF_CAPACITY: no batch is claimed, except that a claim that found no capacity still takes the rows
 *   left "maybe sent" (a provider lookup needs no capacity). Rows that would need a unit are left untouched
 *   and go back unclaimed with their batch.
 * - CLOSING: the mailbox units not handed out go back; every batch waits for its outcomes and gives its
 *   untouched rows back.
 * - DONE: the result is final.
 */
import type { AppContext } from "@/services/app_context.ts";
import type { ClaimedOutreach, SendingMark, SentMark } from "@/db/outreach_dispatch.ts";
import type { Transport } from "@/core/mail/types.ts";
import type { Clock } from "@/core/clock.ts";
import { Batch } from "./batch.ts";
import { GroupCommit } from "./group_commit.ts";
import { MailboxPool } from "./mailbox_pool.ts";
import { SendSlots } from "./send_slots.ts";
import {
  type DispatchOptions,
  type DispatchResult,
  type DispatchSettings,
  dispatchSettings,
  emptyResult,
} from "./options.ts";
import { handled, processRow, type RowRun } from "./process_row.ts";
import { type DispatchStore, sqlDispatchStore } from "./store.ts";

export type DispatcherMode = "RUNNING" | "DRAINING" | "OUT_OF_CAPACITY" | "CLOSING" | "DONE";

/** The transitions allowed from each mode (anything else is a bug, and throws). */
const NEXT: Record<DispatcherMode, DispatcherMode[]> = {
  RUNNING: ["DRAINING", "OUT_OF_CAPACITY", "CLOSING"],
  DRAINING: ["OUT_OF_CAPACITY", "CLOSING"],
  OUT_OF_CAPACITY: ["CLOSING"],
  CLOSING: ["DONE"],
  DONE: [],
};

export interface DispatcherDeps {
  store: DispatchStore;
  transport: Transport;
  clock: Clock;
  /** `APP_BASE_URL`, for the unsubscribe links. */
  baseUrl: string;
}

export class Dispatcher {
  #mode: DispatcherMode = "RUNNING";
  readonly result: DispatchResult = emptyResult();
  readonly #settings: DispatchSettings;
  readonly #run: RowRun;
  readonly #started: number;
  /**
   * Workers: `concurrency` take turns at the provider, and from 4 in flight as many again prepare the next
   * messages (unit, attempt) meanwhile. With fewer in flight each message keeps the strict sequence (its
   * attempt, then its send), which is what a run of one at a time is for.
   */
  readonly #workers: number;
  /** The next batch is claimed when fewer rows than this are waiting. */
  readonly #prefetchBelow: number;
  /** Claimed rows not yet picked up by a worker, over all batches. */
  #waiting = 0;
  #claiming: Promise<unknown> | undefined;
  #claimError: { error: unknown } | undefined;
  /** Batches with rows waiting or in work. */
  #open: Batch[] = [];
  /** Batches not closed yet (a closed batch and its rows are let go: a run of 5,000 rows kept them all). */
  #all = new Set<Batch>();
  #closing: Promise<void>[] = [];

  constructor(private readonly deps: DispatcherDeps, private readonly options: DispatchOptions = {}) {
    const settings = dispatchSettings(options);
    this.#settings = settings;
    this.#started = deps.clock.now().getTime();
    this.#workers = settings.concurrency >= 4 ? 2 * settings.concurrency : Math.max(1, settings.concurrency);
    this.#prefetchBelow = Math.max(settings.concurrency, Math.ceil(settings.batchSize / 2));
    // A capacity round asks for what the waiting rows and the next messages in flight need, at most one batch
    // (or twice the messages in flight, if more): a crash strands at most that many reserved units for the
    // day, and units not used go back when the run ends. A round costs about the same whatever its size (one
    // scan of the available mailboxes, ~20 ms with 10,000): rounds of up to a batch instead of up to 32 units
    // took the reservation from 204 rounds to 25-43 for 5,000 emails at full scale.
    const inFlight = Math.max(1, settings.concurrency);
    const roundMax = Math.max(2 * inFlight, settings.batchSize);
    const pool: MailboxPool = new MailboxPool(
      deps.store,
      () =>
        // Scarce (the last round came back short): no more than the messages about to go out, as a round did
        // before rounds grew, so a dispatcher does not sit on units that another one, out of them, needs.
        pool.scarce
          ? Math.min(this.#waiting + 1, 2 * inFlight)
          : Math.min(this.#waiting + inFlight, roundMax),
      { multiUnit: true },
    );
    this.#run = {
      ...deps,
      settings,
      pool,
      sendSlots: new SendSlots(settings.concurrency),
      // Outcomes wait up to 20 ms to be written together: nothing waits on them but the end of their batch,
      // and a crash meanwhile only leaves more "maybe sent" rows, which recovery finds at the provider.
      // With workers ahead of the send slots a row's attempt is recorded while it waits for a slot anyway, so
      // its statement may wait 4 ms to gather more rows (half the statements: 393 to ~200 for 5,000 emails);
      // one at a time, every message would wait for it.
      attempts: new GroupCommit((marks: SendingMark[]) => deps.store.markSending(marks), {
        lingerMs: this.#workers > settings.concurrency ? 4 : 0,
      }),
      sentOutcomes: new GroupCommit((marks: SentMark[]) => deps.store.markSent(marks), { lingerMs: 50 }),
      result: this.result,
      capacityGone: () => this.#capacityGone(),
      beforeSend: options.beforeSend,
    };
  }

  get mode(): DispatcherMode {
    return this.#mode;
  }

  /** Runs until nothing is due, no mailbox has capacity, the time is up or the signal aborts. Once. */
  async run(): Promise<DispatchResult> {
    try {
      await Promise.all(
        Array.from({ length: this.#workers }, () => this.#worker()),
      );
    } finally {
      this.#setMode("CLOSING");
      await this.#run.pool.close();
      // Every batch is closed, also one left with rows when the run stopped early (they go back unclaimed).
      await this.#claiming;
      for (const batch of [...this.#all]) this.#close(batch);
      await Promise.allSettled(this.#closing);
    }
    await Promise.all(this.#closing);
    if (this.#claimError) throw this.#claimError.error;
    this.result.ms = this.deps.clock.now().getTime() - this.#started;
    this.#setMode("DONE");
    return this.result;
  }

  #setMode(next: DispatcherMode): void {
    if (!NEXT[this.#mode].includes(next)) {
      throw new Error(`dispatcher: ${this.#mode} -> ${next} is not allowed`);
    }
    this.#mode = next;
  }

  /** RUNNING -> DRAINING: no more batches. */
  #stopClaiming(): void {
    if (this.#mode === "RUNNING") this.#setMode("DRAINING");
  }

  /** -> OUT_OF_CAPACITY: no more batches, and rows that need a mailbox unit are left for a later run. */
  #capacityGone(): void {
    this.result.no_capacity = true;
    if (this.#mode === "RUNNING" || this.#mode === "DRAINING") this.#setMode("OUT_OF_CAPACITY");
  }

  async #worker(): Promise<void> {
    for (let next = await this.#nextRow(); next; next = await this.#nextRow()) {
      const [row, batch] = next;
      try {
        if (this.#mode === "OUT_OF_CAPACITY" && !row.send_started_at) continue; // released with its batch
        batch.untouched.delete(row);
        await processRow(this.#run, row, batch);
      } finally {
        if (batch.finish()) {
          this.#open.splice(this.#open.indexOf(batch), 1);
          this.#close(batch);
        }
      }
    }
  }

  /** The next row for a worker: from an open batch, or from the batch being claimed; undefined at the end. */
  async #nextRow(): Promise<[ClaimedOutreach, Batch] | undefined> {
    while (!this.options.signal?.aborted) {
      if (this.#claimError) throw this.#claimError.error;
      const batch = this.#open.find((b) => b.queue.length > 0);
      if (batch) {
        const row = batch.take()!;
        this.#waiting--;
        // Scarce capacity: claim no further ahead than the workers, or rows leased here wait for units while
        // another dispatcher, holding units, finds nothing left to claim.
        if (this.#waiting < (this.#run.pool.scarce ? this.#settings.concurrency : this.#prefetchBelow)) {
          this.#prefetch();
        }
        return [row, batch];
      }
      if (this.#mode !== "RUNNING" && !this.#claiming) return undefined;
      this.#prefetch();
      await this.#claiming;
    }
    return undefined;
  }

  /** Starts claiming the next batch unless one is being claimed or the run claims no more. */
  #prefetch(): void {
    if (this.#mode !== "RUNNING" || this.#claiming) return;
    this.#claiming = this.#claimBatch()
      .catch((error) => {
        this.#claimError ??= { error };
        this.#stopClaiming();
      })
      .finally(() => (this.#claiming = undefined));
  }

  async #claimBatch(): Promise<void> {
    const s = this.#settings;
    if (this.#mode !== "RUNNING") return;
    if (
      this.result.batches >= s.maxBatches ||
      this.deps.clock.now().getTime() - this.#started >= s.maxRuntimeMs ||
      this.options.signal?.aborted
    ) {
      return this.#stopClaiming();
    }
    // Without capacity, maybe-sent rows are still reconciled (a lookup needs no capacity), then the run ends.
    if (this.#run.pool.exhausted || !(await this.deps.store.hasCapacity())) this.#capacityGone();
    const owner = { claimId: crypto.randomUUID() };
    const rows = await this.deps.store.claim(owner, s.batchSize, s.leaseSeconds, {
      maybeSentOnly: this.result.no_capacity,
    });
    if (!rows.length) return this.#stopClaiming();
    this.result.batches++;
    this.result.claimed += rows.length;
    this.#waiting += rows.length;
    const batch = new Batch(owner, rows, this.deps.store);
    this.#open.push(batch);
    this.#all.add(batch);
  }

  #close(batch: Batch): void {
    this.#all.delete(batch);
    const { left, done } = batch.close();
    this.#waiting -= left;
    this.#closing.push(handled(done));
  }
}

/**
 * Runs the dispatcher once with the app's pool, transport, clock and `APP_BASE_URL` (each may be overridden
 * in `options`, as tests and drills do).
 *
 * @example
 * const result = await dispatchOutreach(app); // { sent: 12, failed: 0, ... }
 */
export function dispatchOutreach(app: AppContext, options: DispatchOptions = {}): Promise<DispatchResult> {
  const deps: DispatcherDeps = {
    store: sqlDispatchStore(app.sql),
    transport: options.transport ?? app.transport,
    clock: app.clock,
    baseUrl: options.appBaseUrl ?? app.config.appBaseUrl,
  };
  return new Dispatcher(deps, options).run();
}
