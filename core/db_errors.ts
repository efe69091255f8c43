/**
 * Errors that mean "the database cannot be reached right now" rather than "this
 * request is wrong": a restart, a failover, a full connection table. They are
 * answered 503 with Retry-After (the client may try again), never 500.
 */

/** postgres.js' own connection error codes, Node's socket codes, and PostgreSQL's SQLSTATEs of that kind. */
const UNAVAILABLE = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
]);

/** True for an error (or its cause) that says the database is unreachable, not that the query was bad. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE.has(code) || code.startsWith("08"))) return true;
    if (e instanceof Error && /ECONNREFUSED|Connection refused/i.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
