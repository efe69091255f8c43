import { deleteEndedSessions } from "../db/sessions.ts";
import { deleteOldRateLimits } from "../db/rate_limits.ts";
import { deleteOldAccountTokens } from "../db/account_tokens.ts";

/**
 * `purge-sessions` (hourly): deletes sessions that expired or were revoked a
 * week ago, login rate-limit windows older than a day, and reset/verification
 * links expired or used a week ago, so no table grows without bound.
 * Idempotent: a second run finds nothing to delete.
 */
export async function purgeSessions() {
  const sessions = await deleteEndedSessions();
  const rateLimits = await deleteOldRateLimits();
  const accountTokens = await deleteOldAccountTokens();
  return {
    rows: sessions + rateLimits + accountTokens,
    sessions,
    rate_limits: rateLimits,
    account_tokens: accountTokens,
  };
}
