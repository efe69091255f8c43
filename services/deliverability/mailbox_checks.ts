/**
 * The mailbox side of deliverability: check a mailbox's domain with the app's
 * configuration (the provider's SPF include comes from the transport: Mailgun
 * needs `mailgun.org`, SMTP the mailbox's `spf_include`), store it, and the
 * production rule: a mailbox whose SPF, DKIM or DMARC fails cannot be created,
 * or set, `active` or `warmup` (422 `dns_check_failed`). The two ways a mailbox is created or changed by an
 * admin (`createMailboxChecked`, `updateMailboxChecked`) apply that rule, for the API and the pages alike.
 */
import type { Config } from "@/fresh.config.ts";
import type { AppContext } from "@/services/app_context.ts";
import { HttpError } from "@/core/http_error.ts";
import { createResolver } from "./dns.ts";
import {
  blocksActivation,
  checkMailboxDomain,
  type DomainChecks,
} from "@/core/deliverability/mailbox_dns.ts";
import { getMailboxDnsRow, listMailboxIdsForDnsCheck, storeMailboxDns } from "@/db/mailbox_dns.ts";
import { createMailbox, type MailboxView, type NewMailbox } from "@/db/mailboxes.ts";
import { type MailboxChanges, updateMailbox } from "@/db/mailbox_admin.ts";

export interface MailboxDomainInput {
  domain: string;
  dkim_selector?: string | null;
  spf_include?: string | null;
}

/** The include the configured transport needs, or null when any SPF record will do. */
export function requiredSpfInclude(
  cfg: Pick<Config, "mailTransport">,
  spfInclude: string | null | undefined,
): string | null {
  return cfg.mailTransport === "mailgun" ? "mailgun.org" : spfInclude ?? null;
}

/** `fresh`: past the cache (an admin who just fixed a record asks again with ?refresh=1). */
export function checkMailboxDomainWithConfig(
  app: AppContext,
  m: MailboxDomainInput,
  fresh = false,
): Promise<DomainChecks> {
  const nameServer = app.config.dnsServer;
  return checkMailboxDomain({
    domain: m.domain,
    dkimSelector: m.dkim_selector ?? "smtp",
    spfInclude: requiredSpfInclude(app.config, m.spf_include),
  }, fresh ? createResolver({ nameServer }) : app.resolver);
}

/**
 * Throws 422 `dns_check_failed` in production when the mailbox would send
 * (`active`, `warmup`) from a domain whose SPF, DKIM or DMARC fails; answers
 * the checks it made (to be stored), or null when none was needed.
 */
export async function assertDomainMaySend(
  app: AppContext,
  m: MailboxDomainInput,
  status: string | undefined,
): Promise<DomainChecks | null> {
  if (app.config.env !== "production" || status === "paused") return null;
  const checks = await checkMailboxDomainWithConfig(app, m, true);
  const failing = blocksActivation(checks);
  if (failing.length) {
    throw new HttpError(422, `the domain's ${failing.join(", ").toUpperCase()} check fails: fix DNS first`, {
      code: "dns_check_failed",
      fields: Object.fromEntries(
        failing.map((
          k,
        ) => [`dns.${k}`, `expected ${checks[k].expected}; found ${checks[k].found ?? "nothing"}`]),
      ),
    });
  }
  return checks;
}

export interface MailboxDnsAnswer extends DomainChecks {
  checked_at: string | null;
}

/** `GET /api/admin/mailboxes/:id/dns`: the stored result (checked now when there is none, or on refresh). */
export async function mailboxDns(app: AppContext, id: number, refresh: boolean): Promise<MailboxDnsAnswer> {
  const row = await getMailboxDnsRow(app.sql, id);
  if (!row) throw new HttpError(404, "mailbox not found");
  if (row.dns_check && row.dns_checked_at && !refresh) {
    return { ...row.dns_check, checked_at: row.dns_checked_at.toISOString() };
  }
  const checks = await checkMailboxDomainWithConfig(app, row, refresh);
  const at = await storeMailboxDns(app.sql, id, checks);
  return { ...checks, checked_at: at?.toISOString() ?? null };
}

/**
 * `check-mailbox-dns` (daily): re-checks every mailbox's domain and stores it.
 * Domains shared by several mailboxes are asked once (the resolver caches).
 * It does not pause a mailbox: a DNS outage would stop all sending; the admin
 * page shows the failure and production refuses activation.
 */
export async function checkAllMailboxDns(
  app: AppContext,
): Promise<{ rows: number; checked: number; failing: number }> {
  let checked = 0;
  let failing = 0;
  const nameServer = app.config.dnsServer;
  const resolver = createResolver({ nameServer }); // one run: fresh answers, each domain asked once
  for (const id of await listMailboxIdsForDnsCheck(app.sql)) {
    const row = await getMailboxDnsRow(app.sql, id);
    if (!row) continue;
    const checks = await checkMailboxDomain({
      domain: row.domain,
      dkimSelector: row.dkim_selector,
      spfInclude: requiredSpfInclude(app.config, row.spf_include),
    }, resolver);
    await storeMailboxDns(app.sql, id, checks);
    checked++;
    if (blocksActivation(checks).length) failing++;
  }
  return { rows: checked, checked, failing };
}

/**
 * The production rule for an existing mailbox set `active` or `warmup` (PATCH, the admin pages): checks its
 * domain now, stores the result, and throws 422 `dns_check_failed` when SPF, DKIM or DMARC fails.
 */
export async function assertMailboxMaySend(app: AppContext, id: number, status: string): Promise<void> {
  const row = await getMailboxDnsRow(app.sql, id);
  if (!row) return; // the caller answers 404
  const checks = await assertDomainMaySend(app, row, status).catch(async (error) => {
    if (error instanceof HttpError && error.code === "dns_check_failed") {
      await storeMailboxDns(app.sql, id, await checkMailboxDomainWithConfig(app, row));
    }
    throw error;
  });
  if (checks) await storeMailboxDns(app.sql, id, checks);
}

/**
 * An admin's changes to a mailbox (PATCH, the admin pages) under the production rule: set `active` or
 * `warmup`, its domain is checked first (422 `dns_check_failed`); 404 for an unknown mailbox.
 */
export async function updateMailboxChecked(
  app: AppContext,
  id: number,
  changes: MailboxChanges,
): Promise<MailboxView> {
  const status = changes.status ?? null;
  if (status === "active" || status === "warmup") await assertMailboxMaySend(app, id, status);
  return await updateMailbox(app.sql, id, changes);
}

/**
 * Creates a mailbox under the production rule (422 `dns_check_failed` unless created `paused`) and stores
 * the check made: the one way to create a mailbox, for the API and the admin page.
 */
export async function createMailboxChecked(app: AppContext, input: NewMailbox): Promise<MailboxView> {
  const checks = await assertDomainMaySend(app, input, input.status ?? "warmup");
  const mailbox = await createMailbox(app.sql, input, app.secrets);
  if (checks) await storeMailboxDns(app.sql, mailbox.id, checks);
  return mailbox;
}
