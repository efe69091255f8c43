/**
 * Mailbox capacity for one dispatcher run. Units are reserved in rounds, one statement per round, and handed
 * out one per message. The dispatcher's rounds are multi-unit (`CapacityStore.reserveUnitsSpread`, db/
 * `reserveMailboxUnitsSpread`): a round asks for what the waiting rows need and the units go where the fill
 * (`sent_today / cap`) stays lowest, several per mailbox when there are fewer mailboxes than rows. Without
 * `multiUnit` (the default, which only this pool's own tests use) a round takes one unit on each of the
 * least-filled mailboxes (`reserveUnits`). A follow-up asks for the
 * mailbox that sent step 1 first (`take(id)`). What is left, or belongs to a mailbox that started failing,
 * goes back (`drop`, `close`). Every unit was reserved atomically in PostgreSQL, so the caps hold across
 * processes whatever this pool does; a crash only leaves units reserved and unused until the UTC day ends
 * (the safe side: since 0100 the counter of an earlier day reads as 0).
 */
import type { ReservedMailbox } from "@/db/mailboxes.ts";
import type { CapacityStore } from "./store.ts";

export interface MailboxPoolOptions {
  /**
   * A round may give several units per mailbox (`reserveUnitsSpread`:
   * the units go where the fill stays lowest), so a batch bigger than the
   * number of available mailboxes needs one round, not one per
   * `mailboxes` messages. Default: one unit per mailbox per round.
   */
  multiUnit?: boolean;
}

/** Rounds retried (50 ms, 100 ms, ... 800 ms apart: about 8 s) while mailboxes with capacity are locked. */
const LOCKED_RETRIES = 12;

export class MailboxPool {
  #units: ReservedMailbox[] = [];
  #exhausted = false;
  #refilling: Promise<void> | null = null;
  #dropped = new Set<number>();
  #scarce = false;
  #roundSize: () => number;
  #multiUnit: boolean;

  /** `roundSize`: how many units one round asks for (the messages still waiting). */
  constructor(
    private readonly store: CapacityStore,
    roundSize: () => number,
    options: MailboxPoolOptions = {},
  ) {
    this.#roundSize = roundSize;
    this.#multiUnit = options.multiUnit ?? false;
  }

  /**
   * The last round got fewer units than it asked for: capacity is running out (or held by other dispatchers),
   * so rounds should ask for no more than the messages about to go out.
   */
  get scarce(): boolean {
    return this.#scarce;
  }

  /** True once a round found no capacity at all. */
  get exhausted(): boolean {
    return this.#exhausted && this.#units.length === 0;
  }

  /**
   * One unit: on `preferredId` when it has capacity, else the next pooled one; undefined when none is left.
   * With `only`, that mailbox or nothing (a follow-up goes out from step 1's mailbox, issue 11).
   */
  async take(
    preferredId?: number | null,
    options: { only?: boolean } = {},
  ): Promise<ReservedMailbox | undefined> {
    if (preferredId && !this.#dropped.has(preferredId)) {
      const i = this.#units.findIndex((u) => u.id === preferredId);
      if (i >= 0) return this.#units.splice(i, 1)[0];
      const direct = await this.store.reserveMailbox(preferredId);
      if (direct) return direct;
    }
    if (preferredId && options.only) return undefined;
    while (true) {
      const unit = this.#units.shift();
      if (unit) return unit;
      if (this.#exhausted) return undefined;
      this.#refilling ??= this.#refill().finally(() => (this.#refilling = null));
      await this.#refilling;
    }
  }

  async #refill(): Promise<void> {
    for (let attempt = 0;; attempt++) {
      const size = Math.max(1, this.#roundSize());
      const reserved = this.#multiUnit
        ? interleave(await this.store.reserveUnitsSpread(size))
        : await this.store.reserveUnits(size);
      this.#scarce = reserved.length < size;
      const units = reserved.filter((u) => !this.#dropped.has(u.id));
      await this.store.releaseUnits(reserved.filter((u) => this.#dropped.has(u.id)));
      if (units.length) {
        this.#units.push(...units);
        return;
      }
      // An empty round means no capacity, or rows locked for a moment (SKIP LOCKED): another dispatcher's
      // round, or the health/reset job updating every mailbox. Only the first ends the batch.
      if (attempt >= LOCKED_RETRIES || !(await this.store.hasCapacity())) {
        this.#exhausted = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** Math.min(attempt, 4)));
    }
  }

  /** Whether the run stopped using this mailbox (`drop`). */
  isDropped(mailboxId: number): boolean {
    return this.#dropped.has(mailboxId);
  }

  /** Stops using a mailbox (it is failing): its pooled units go back now. */
  async drop(mailboxId: number): Promise<void> {
    this.#dropped.add(mailboxId);
    const mine = this.#units.filter((u) => u.id === mailboxId);
    this.#units = this.#units.filter((u) => u.id !== mailboxId);
    await this.store.releaseUnits(mine);
  }

  /** Gives back every unit not handed out. */
  async close(): Promise<void> {
    await this.#refilling?.catch(() => {});
    const left = this.#units;
    this.#units = [];
    await this.store.releaseUnits(left);
  }
}

/** One entry per unit, taking the mailboxes in turn (a, b, c, a, b, ...), so units left over spread too. */
function interleave(rows: (ReservedMailbox & { units: number })[]): ReservedMailbox[] {
  const out: ReservedMailbox[] = [];
  const most = Math.max(0, ...rows.map((r) => r.units));
  for (let i = 0; i < most; i++) {
    for (const { units, ...mailbox } of rows) if (units > i) out.push(mailbox);
  }
  return out;
}
