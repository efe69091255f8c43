/**
 * The work an app runs besides requests, and its shutdown: scheduled job runs and background sends are
 * tracked, so a shutdown stops new work (the signal) and then waits for what is in flight (`drain`).
 *
 * One per app, made by the composition root (app/context.ts) and reached as `app.lifecycle`; main.ts makes
 * it before the app exists, because the crons it registers at start take its signal.
 */

export interface Lifecycle {
  /** Aborted when shutdown begins: crons stop firing, the dispatcher claims no new batch. */
  readonly signal: AbortSignal;
  /** Runs `work`, remembering it until it settles so shutdown can wait for it. */
  trackWork<T>(work: () => Promise<T>): Promise<T>;
  /** Aborts `signal` and waits (up to `timeoutMs`) for the work in flight. */
  drain(timeoutMs?: number): Promise<void>;
}

export function createLifecycle(): Lifecycle {
  const inFlight = new Set<Promise<unknown>>();
  const shutdown = new AbortController();
  return {
    signal: shutdown.signal,
    trackWork<T>(work: () => Promise<T>): Promise<T> {
      const promise = work();
      inFlight.add(promise);
      promise.finally(() => inFlight.delete(promise)).catch(() => {});
      return promise;
    },
    async drain(timeoutMs = 30_000) {
      shutdown.abort();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      try {
        await Promise.race([Promise.allSettled([...inFlight]), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
