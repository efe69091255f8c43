import type { Sql } from "@/db/client.ts";
import { resetMailboxCounters } from "@/db/mailbox_health.ts";

/**
 * `reset-mailboxes` (daily, 00:00 UTC): drops the per-day counters that left
 * the window, then the 7-day bounce/complaint counts and health of every
 * mailbox. `sent_today` needs no zeroing (read through its UTC day, migration
 * 0100). A second run the same day only re-scores, so retries and manual runs
 * are harmless.
 */
export async function resetMailboxes(sql: Sql, tick: Date = new Date()) {
  const result = await resetMailboxCounters(sql, tick);
  return { rows: result.counters_reset + result.health_updated, ...result };
}
