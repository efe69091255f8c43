import type { AppContext } from "@/services/app_context.ts";
import { calculateMailboxHealth } from "@/db/mailbox_health.ts";

/** `calculate-health` (every 6 hours): re-scores every mailbox from its last 7 days. Idempotent. */
export async function calculateHealth(app: AppContext) {
  const updated = await calculateMailboxHealth(app.sql);
  return { rows: updated, mailboxes: updated };
}
