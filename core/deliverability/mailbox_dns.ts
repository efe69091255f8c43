/**
 * Mailbox domain checks: SPF, DKIM, DMARC and MX of a sending domain, each
 * pass, warn or fail with the record found and the record expected (contract
 * §6). Since February 2024 Gmail and Yahoo require SPF, DKIM and DMARC of
 * every bulk sender, and cold-email tools refuse to send without them.
 *
 * - SPF (RFC 7208): exactly one `v=spf1` TXT record; it must reach the
 *   sending provider (`include:mailgun.org` with the Mailgun transport, the
 *   mailbox's `spf_include` with SMTP), directly or through nested includes;
 *   evaluating it may take at most 10 DNS lookups (§4.6.4: include, a, mx,
 *   ptr, exists, redirect). Otherwise `fail`.
 * - DKIM (RFC 6376): a TXT key at `<selector>._domainkey.<domain>` with a
 *   non-empty `p=`. Missing or revoked (`p=`): `fail`.
 * - DMARC (RFC 7489): `v=DMARC1` at `_dmarc.<domain>`. None: `fail`;
 *   `p=none` (monitoring only): `warn`.
 * - MX: replies reach the inbound route only through it. None: `warn`.
 *
 * A DNS timeout is `fail` with `found: null`: an unknown record must not let a
 * mailbox be activated, and the daily re-check clears it.
 */
import { DnsTimeoutError, type Resolver } from "./dns_types.ts";

export type CheckStatus = "pass" | "warn" | "fail";
export interface Check {
  status: CheckStatus;
  found: string | null;
  expected: string | null;
}
export interface DomainChecks {
  spf: Check;
  dkim: Check;
  dmarc: Check;
  mx: Check;
}

export interface MailboxDomain {
  domain: string;
  dkimSelector: string;
  /** The SPF include the provider needs (`mailgun.org`), or null when any SPF record will do. */
  spfInclude: string | null;
}

/** RFC 7208 §4.6.4. */
export const SPF_LOOKUP_LIMIT = 10;

const TIMEOUT = (expected: string | null): Check => ({ status: "fail", found: null, expected });

function spfRecords(txt: string[]): string[] {
  return txt.filter((t) => /^v=spf1(\s|$)/i.test(t.trim()));
}

/**
 * Walks the SPF record tree: counts the lookup terms and collects every
 * domain included (or redirected to). Stops past the limit, so a loop ends.
 */
async function walkSpf(
  record: string,
  resolver: Resolver,
  state: { lookups: number; reached: Set<string>; seen: Set<string> },
): Promise<void> {
  for (const term of record.trim().split(/\s+/).slice(1)) {
    const m = /^[+\-~?]?(include|a|mx|ptr|exists|redirect)(?:[:=/](.*))?$/i.exec(term);
    if (!m) continue;
    state.lookups++;
    const kind = m[1].toLowerCase();
    if ((kind === "include" || kind === "redirect") && m[2]) {
      const target = m[2].toLowerCase().replace(/\.$/, "");
      state.reached.add(target);
      if (state.lookups > SPF_LOOKUP_LIMIT || state.seen.has(target)) continue;
      state.seen.add(target);
      const [nested] = spfRecords(await resolver.txt(target));
      if (nested) await walkSpf(nested, resolver, state);
    }
  }
}

async function checkSpf(d: MailboxDomain, resolver: Resolver): Promise<Check> {
  const expected = `v=spf1 ${d.spfInclude ? `include:${d.spfInclude} ` : ""}~all`;
  const records = spfRecords(await resolver.txt(d.domain));
  if (!records.length) return { status: "fail", found: null, expected };
  const found = records.join(" | ");
  if (records.length > 1) return { status: "fail", found, expected: `one SPF record: ${expected}` };
  const state = { lookups: 0, reached: new Set<string>(), seen: new Set<string>([d.domain.toLowerCase()]) };
  await walkSpf(records[0], resolver, state);
  if (state.lookups > SPF_LOOKUP_LIMIT) {
    return {
      status: "fail",
      found: `${found} (${state.lookups} DNS lookups)`,
      expected: `at most ${SPF_LOOKUP_LIMIT} DNS lookups: ${expected}`,
    };
  }
  if (d.spfInclude && !state.reached.has(d.spfInclude.toLowerCase())) {
    return { status: "fail", found, expected };
  }
  return { status: "pass", found, expected };
}

async function checkDkim(d: MailboxDomain, resolver: Resolver): Promise<Check> {
  const name = `${d.dkimSelector}._domainkey.${d.domain}`;
  const expected = `TXT ${name}: v=DKIM1; k=rsa; p=<public key>`;
  const records = (await resolver.txt(name)).filter((t) => /(^|;)\s*p=/i.test(t));
  if (!records.length) return { status: "fail", found: null, expected };
  const withKey = records.find((t) => /(^|;)\s*p=[A-Za-z0-9+/=]+/i.test(t));
  return { status: withKey ? "pass" : "fail", found: withKey ?? records[0], expected };
}

async function checkDmarc(d: MailboxDomain, resolver: Resolver): Promise<Check> {
  const expected = `TXT _dmarc.${d.domain}: v=DMARC1; p=quarantine (or p=reject)`;
  const [record] = (await resolver.txt(`_dmarc.${d.domain}`)).filter((t) =>
    /^v=DMARC1\s*(;|$)/i.test(t.trim())
  );
  if (!record) return { status: "fail", found: null, expected };
  const policy = /(?:^|;)\s*p\s*=\s*([a-z]+)/i.exec(record)?.[1]?.toLowerCase();
  if (policy === "quarantine" || policy === "reject") return { status: "pass", found: record, expected };
  // p=none only monitors; a record without a valid p= is treated as none (RFC 7489 §6.6.3)
  return { status: "warn", found: record, expected };
}

async function checkMx(d: MailboxDomain, resolver: Resolver): Promise<Check> {
  const expected = `MX ${d.domain}: the inbound mail host (e.g. mxa.mailgun.org) so replies reach the route`;
  const mx = (await resolver.mx(d.domain)).filter((r) => r.exchange !== "");
  if (!mx.length) return { status: "warn", found: null, expected };
  return {
    status: "pass",
    found: mx.sort((a, b) => a.preference - b.preference).map((r) => `${r.preference} ${r.exchange}`).join(
      ", ",
    ),
    expected,
  };
}

async function guarded(run: () => Promise<Check>, expected: string | null): Promise<Check> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DnsTimeoutError) return TIMEOUT(expected);
    throw error;
  }
}

export async function checkMailboxDomain(d: MailboxDomain, resolver: Resolver): Promise<DomainChecks> {
  const [spf, dkim, dmarc, mx] = await Promise.all([
    guarded(() => checkSpf(d, resolver), `v=spf1 ${d.spfInclude ? `include:${d.spfInclude} ` : ""}~all`),
    guarded(() => checkDkim(d, resolver), `TXT ${d.dkimSelector}._domainkey.${d.domain}: v=DKIM1; p=<key>`),
    guarded(() => checkDmarc(d, resolver), `TXT _dmarc.${d.domain}: v=DMARC1; p=quarantine`),
    guarded(() => checkMx(d, resolver), `MX ${d.domain}`),
  ]);
  return { spf, dkim, dmarc, mx };
}

/** Whether these checks forbid activation in production (SPF, DKIM or DMARC failing). */
export function blocksActivation(checks: DomainChecks): ("spf" | "dkim" | "dmarc")[] {
  return (["spf", "dkim", "dmarc"] as const).filter((k) => checks[k].status === "fail");
}
