/**
 * The stored DNS state of each mailbox's domain (migration 0075): what the
 * last check found (`dns_check`, {spf, dkim, dmarc, mx}) and when. Admin and
 * job work: the owner pool.
 */
import type { Sql } from "./client.ts";
import type { DomainChecks } from "@/core/deliverability/mailbox_dns.ts";

export interface MailboxDnsRow {
  id: number;
  domain: string;
  status: string;
  dkim_selector: string;
  spf_include: string | null;
  dns_check: DomainChecks | null;
  dns_checked_at: Date | null;
}

export async function getMailboxDnsRow(sql: Sql, id: number): Promise<MailboxDnsRow | undefined> {
  const [row] = await sql<MailboxDnsRow[]>`
    select id, domain, status, dkim_selector, spf_include, dns_check, dns_checked_at
    from mailboxes where id = ${id}::int`;
  return row;
}

export async function storeMailboxDns(sql: Sql, id: number, checks: DomainChecks): Promise<Date | null> {
  const [row] = await sql<{ dns_checked_at: Date }[]>`
    update mailboxes set dns_check = ${sql.json(checks as never)}, dns_checked_at = now()
    where id = ${id}::int returning dns_checked_at`;
  return row?.dns_checked_at ?? null;
}

/** Mailbox ids for the daily re-check, least recently checked first. */
export async function listMailboxIdsForDnsCheck(sql: Sql): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select id from mailboxes order by dns_checked_at nulls first, id`;
  return rows.map((r) => r.id);
}

/** Sets a mailbox `active` (the DNS page's button; the production DNS rule is checked before). */
export async function activateMailbox(sql: Sql, id: number): Promise<boolean> {
  const rows = await sql`
    update mailboxes set status = 'active', paused_reason = null where id = ${id}::int returning id`;
  return rows.length > 0;
}
