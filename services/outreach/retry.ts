/**
 * Retrying a statement that PostgreSQL rolled back whole because of a conflict with another transaction: a
 * deadlock (40P01; dispatchers' bulk writes touch shared application and contact rows) or a serialization
 * failure (40001). Such a statement changed nothing, so running it again is safe; any other error is not
 * retried.
 */

/** Whether `error` is a conflict that rolled the statement back (worth running again as it was). */
export function isConflict(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "40P01" || code === "40001";
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryOptions {
  /** Runs in all, the first included. */
  tries?: number;
  /** The wait before run `attempt + 1` (default 5–25 ms × attempt, random, so the two sides part). */
  delayMs?: (attempt: number) => number;
}

/** Runs `fn`, again after a conflict (up to `tries` runs); the last error, or any other, is thrown. */
export async function retryOnConflict<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const tries = options.tries ?? 5;
  const delayMs = options.delayMs ?? ((attempt: number) => 5 + Math.random() * 20 * attempt);
  for (let attempt = 1;; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= tries || !isConflict(error)) throw error;
      await sleep(delayMs(attempt));
    }
  }
}
