import type { AppContext } from "@/services/app_context.ts";
import { resetMailboxCounters } from "@/db/mailbox_health.ts";

/**
 * `reset-mailboxes` (daily, 00:00 UTC): counters of an earlier UTC day back to 0,
 * then the 7-day bounce/complaint counts and health of every mailbox. A second
 * run the same day only re-scores, so retries and manual runs are harmless.
 */
export async function resetMailboxes(app: AppContext, tick: Date = app.clock.now()) {
  const result = await resetMailboxCounters(app.sql, tick);
  return { rows: result.counters_reset + result.health_updated, ...result };
}
