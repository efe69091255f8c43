/**
 * When a temporarily refused message is tried again: 1, 2, 4, ... minutes after the n-th failed attempt, at
 * most 6 hours, with ±20% jitter so rows that failed together (a provider outage) do not come back together.
 */

const BASE_MS = 60_000;
const MAX_MS = 6 * 3600_000;

/** The delay after the `attempt`-th failed attempt (1-based). `random` in [0, 1) picks the jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BASE_MS * 2 ** Math.max(0, attempt - 1), MAX_MS);
  return Math.round(base * (0.8 + random() * 0.4));
}
