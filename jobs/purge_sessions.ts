import { deleteEndedSessions } from "../db/sessions.ts";
import { deleteOldRateLimits } from "../db/rate_limits.ts";

/**
 * `purge-sessions` (hourly): deletes sessions that expired or were revoked a
 * week ago and login rate-limit windows older than a day, so neither table
 * grows without bound. Idempotent: a second run finds nothing to delete.
 */
export async function purgeSessions() {
  const sessions = await deleteEndedSessions();
  const rateLimits = await deleteOldRateLimits();
  return { rows: sessions + rateLimits, sessions, rate_limits: rateLimits };
}
