import type { AppContext } from "@/services/app_context.ts";
import { calculateMailboxHealth } from "@/db/mailbox_health.ts";

/** `calculate-health` (every 6 hours): re-scores every mailbox from its last 7 days. Idempotent. */
export async function calculateHealth(_app: AppContext) {
  const updated = await calculateMailboxHealth();
  return { rows: updated, mailboxes: updated };
}
