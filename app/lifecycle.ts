/**
 * Process lifecycle shared by the HTTP server and the scheduled jobs.
 *
 * Cron handlers are registered at module top level (Deno Deploy discovers them
 * there), before the database is connected; each one awaits `ready()` so it
 * never runs against an unmigrated database. `trackWork` lets shutdown wait for
 * job runs in flight.
 */

let markReady: () => void = () => {};
const readyPromise = new Promise<void>((resolve) => (markReady = resolve));
const inFlight = new Set<Promise<unknown>>();
const shutdownController = new AbortController();

/** Resolves once configuration, database and migrations are in place. */
export function ready(): Promise<void> {
  return readyPromise;
}

/** Called by boot after migrations. */
export function setReady(): void {
  markReady();
}

/** Aborted when the process starts shutting down; cron registrations listen to it. */
export const shutdownSignal: AbortSignal = shutdownController.signal;

/** Runs `work`, remembering it until it settles so shutdown can wait for it. */
export function trackWork<T>(work: () => Promise<T>): Promise<T> {
  const promise = work();
  inFlight.add(promise);
  promise.finally(() => inFlight.delete(promise)).catch(() => {});
  return promise;
}

/** Stops new scheduled work and waits (up to `timeoutMs`) for runs in flight. */
export async function drainWork(timeoutMs = 30_000): Promise<void> {
  shutdownController.abort();
  const timeout = new Promise((resolve) => setTimeout(resolve, timeoutMs));
  await Promise.race([Promise.allSettled([...inFlight]), timeout]);
}
