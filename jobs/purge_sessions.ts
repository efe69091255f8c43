import type { AppContext } from "@/services/app_context.ts";
import { deleteEndedSessions } from "@/db/sessions.ts";
import { deleteOldRateLimits } from "@/db/rate_limits.ts";
import { deleteOldAccountTokens } from "@/db/account_tokens.ts";
import { deleteEndedAdminSessions } from "@/db/admin_sessions.ts";

/**
 * `purge-sessions` (hourly): deletes sessions and admin sessions that expired or were revoked a
 * week ago, login rate-limit windows older than a day, and reset/verification links expired or
 * used a week ago, so no such table grows without bound. Idempotent: a second run finds nothing to delete.
 */
export async function purgeSessions(app: AppContext) {
  const sessions = await deleteEndedSessions(app.sql);
  const rateLimits = await deleteOldRateLimits(app.sql);
  const adminSessions = await deleteEndedAdminSessions(app.sql);
  const accountTokens = await deleteOldAccountTokens(app.sql);
  return {
    rows: sessions + rateLimits + adminSessions + accountTokens,
    sessions,
    rate_limits: rateLimits,
    admin_sessions: adminSessions,
    account_tokens: accountTokens,
  };
}
