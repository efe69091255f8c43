import { sql } from "@/db/client.ts";
import { deleteEndedSessions } from "@/db/sessions.ts";
import { deleteOldRateLimits } from "@/db/rate_limits.ts";
import { deleteOldAccountTokens } from "@/db/account_tokens.ts";
import { deleteEndedAdminSessions } from "@/db/admin_sessions.ts";

/**
 * `purge-sessions` (hourly): deletes sessions and admin sessions that expired or were revoked a
 * week ago, login rate-limit windows older than a day, and reset/verification links expired or
 * used a week ago, so no such table grows without bound. Idempotent: a second run finds nothing to delete.
 */
export async function purgeSessions() {
  const sessions = await deleteEndedSessions(sql);
  const rateLimits = await deleteOldRateLimits(sql);
  const adminSessions = await deleteEndedAdminSessions(sql);
  const accountTokens = await deleteOldAccountTokens(sql);
  return {
    rows: sessions + rateLimits + adminSessions + accountTokens,
    sessions,
    rate_limits: rateLimits,
    admin_sessions: adminSessions,
    account_tokens: accountTokens,
  };
}
