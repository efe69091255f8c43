import type { Sql } from "@/db/client.ts";
import { calculateMailboxHealth } from "@/db/mailbox_health.ts";

/** `calculate-health` (every 6 hours): re-scores every mailbox from its last 7 days. Idempotent. */
export async function calculateHealth(sql: Sql) {
  const updated = await calculateMailboxHealth(sql);
  return { rows: updated, mailboxes: updated };
}
