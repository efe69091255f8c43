/**
 * At most `size` messages at the provider at once. The dispatcher runs twice as many workers as slots: a
 * worker records its row's attempt (one group-commit statement, ~1-3 ms) while the slots are busy with other
 * rows' sends, so that statement is no longer part of every message's turn; the provider still never has more
 * than `size` of this process's messages in flight.
 */
export class SendSlots {
  #free: number;
  #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = Math.max(1, size);
  }

  /** Waits for a slot (first come, first served) and answers the function that gives it back. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
