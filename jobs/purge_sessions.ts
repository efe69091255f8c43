import { deleteEndedSessions } from "../db/sessions.ts";
import { deleteOldRateLimits } from "../db/rate_limits.ts";
import { deleteEndedAdminSessions } from "../db/admin_sessions.ts";

/**
 * `purge-sessions` (hourly): deletes sessions and admin sessions that expired or were revoked a
 * week ago and login rate-limit windows older than a day, so no such table
 * grows without bound. Idempotent: a second run finds nothing to delete.
 */
export async function purgeSessions() {
  const sessions = await deleteEndedSessions();
  const rateLimits = await deleteOldRateLimits();
  const adminSessions = await deleteEndedAdminSessions();
  return {
    rows: sessions + rateLimits + adminSessions,
    sessions,
    rate_limits: rateLimits,
    admin_sessions: adminSessions,
  };
}
