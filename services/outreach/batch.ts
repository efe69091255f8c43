/**
 * One claim of the dispatcher: the rows it leased together under one owner, handed to workers one at a time.
 * A batch ends when its last row is done: it waits for its rows' outcomes to be recorded, then gives back,
 * in one statement, the claimed rows nothing was done with (the run stopped early, or no mailbox had
 * capacity for them).
 */
import type { ClaimedOutreach, ClaimOwner } from "@/db/outreach_dispatch.ts";
import type { OutreachStore } from "./store.ts";

export class Batch {
  /** Rows no worker has picked up yet. */
  readonly queue: ClaimedOutreach[];
  /** Rows being worked on. */
  active = 0;
  closed = false;
  /** Outcomes being recorded; the batch ends only when they are. */
  readonly outcomes: Promise<unknown>[] = [];
  /** Claimed rows nothing was done with: released together when the batch closes. */
  readonly untouched: Set<ClaimedOutreach>;

  constructor(readonly owner: ClaimOwner, rows: ClaimedOutreach[], private readonly store: OutreachStore) {
    this.queue = [...rows];
    this.untouched = new Set(rows);
  }

  /** The next row for a worker, or undefined. */
  take(): ClaimedOutreach | undefined {
    const row = this.queue.shift();
    if (row) this.active++;
    return row;
  }

  /** A worker is done with one of its rows; answers whether that was the batch's last. */
  finish(): boolean {
    this.active--;
    return this.active === 0 && this.queue.length === 0;
  }

  /**
   * Stops handing out rows (answers how many were still waiting, now left untouched), waits for the
   * outcomes and gives the untouched claims back. An outcome that could not be recorded fails the close
   * (its row stays "maybe sent", for recovery). Closing twice does nothing.
   */
  close(): { left: number; done: Promise<void> } {
    if (this.closed) return { left: 0, done: Promise.resolve() };
    this.closed = true;
    const left = this.queue.splice(0).length;
    return { left, done: this.#settle() };
  }

  async #settle(): Promise<void> {
    await Promise.allSettled(this.outcomes);
    await Promise.all(this.outcomes);
    await this.store.releaseClaims([...this.untouched], this.owner);
  }
}
