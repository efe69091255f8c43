import type { Sql } from "@/db/client.ts";
import { checkMailboxCounters } from "@/db/mailbox_health.ts";

/**
 * `check-mailbox-counters` (daily, after the reset): compares the per-day
 * mailbox counters that health reads (kept by triggers, migration 0085) with
 * a full recount of outreach and its events, and reports the cells that
 * differ. It changes nothing: drift means a write went around the triggers,
 * which an operator should look into (`select rebuild_mailbox_daily_stats()`
 * repairs the counters).
 */
export async function checkMailboxCountersJob(sql: Sql) {
  const { drift, cells } = await checkMailboxCounters(sql);
  return { rows: drift, drift, cells };
}
