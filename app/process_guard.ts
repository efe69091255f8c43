/**
 * postgres.js 3.4 can schedule a socket write (setImmediate) that runs after
 * the connection was closed, throwing "Cannot read properties of null (reading
 * 'write')" outside any promise. That happens when PostgreSQL restarts under
 * load and would end the whole process, although the pool recovers by itself
 * (the queries of that connection already failed with CONNECTION_CLOSED).
 *
 * This guard keeps the process alive for that one known error only, and logs
 * it; every other uncaught error still ends the process, as it should.
 */
import type { Logger } from "@/core/log.ts";

/** Whether an uncaught error is postgres.js' write-after-close (and nothing else). */
export function isPostgresWriteAfterClose(error: unknown): boolean {
  return error instanceof TypeError &&
    /reading 'write'/.test(error.message) &&
    /postgres\/src\/connection\.js/.test(error.stack ?? "");
}

/**
 * Installs the guard, logging to `log`: once per process, by its entry point (main.ts, the worker).
 * Returns the function that removes it.
 */
export function installProcessGuard(log: Logger): () => void {
  const listener = (event: ErrorEvent) => {
    if (!isPostgresWriteAfterClose(event.error)) return;
    event.preventDefault();
    log.warn("database connection closed during a write; the pool reconnects", {
      error: (event.error as Error).message,
    });
  };
  globalThis.addEventListener("error", listener);
  return () => globalThis.removeEventListener("error", listener);
}
