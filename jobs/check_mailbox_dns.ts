import type { AppContext } from "@/services/app_context.ts";
import { checkAllMailboxDns } from "@/services/deliverability/mailbox_checks.ts";

/** `check-mailbox-dns` (daily): SPF, DKIM, DMARC and MX of every mailbox's domain, stored. Idempotent. */
export async function checkMailboxDns(app: AppContext) {
  return await checkAllMailboxDns(app);
}
