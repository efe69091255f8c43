import { checkAllMailboxDns } from "@/services/deliverability/mailbox_checks.ts";

/** `check-mailbox-dns` (daily): SPF, DKIM, DMARC and MX of every mailbox's domain, stored. Idempotent. */
export async function checkMailboxDns() {
  return await checkAllMailboxDns();
}
