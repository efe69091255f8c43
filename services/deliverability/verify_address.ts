/**
 * Address verification: valid, risky or invalid, with the reason of
 * contract §6. It relies only on DNS answers (the resolver honours
 * `ROLEFERRY_DNS`), the named lists (core/deliverability/*_domains,
 * role_addresses) and, when turned on, the SMTP RCPT probe. No name is judged
 * by its TLD alone: an unknown TLD is asked about like any other.
 *
 * Order: syntax → disposable list → MX (the A record as the RFC 5321 §5.1
 * fallback) → optional probe → role list. A DNS timeout is `risky`
 * (`dns_timeout`), never an error. A probe that gives no verdict
 * (greylisting, timeout) leaves the DNS verdict standing.
 */
import { DnsTimeoutError, type Resolver } from "@/core/deliverability/dns_types.ts";
import { parseAddress } from "@/core/deliverability/email_syntax.ts";
import { isDisposableDomain } from "@/core/deliverability/disposable_domains.ts";
import { isRoleAddress } from "@/core/deliverability/role_addresses.ts";
import { probeAddress } from "./smtp_probe.ts";
import type {
  ProbeOutcome,
  Verification,
  VerificationReason,
  VerificationResult,
} from "@/core/deliverability/verification.ts";

export interface VerifyOptions {
  resolver: Resolver;
  /** Turned on by ROLEFERRY_SMTP_PROBE=on; the port is ROLEFERRY_SMTP_PROBE_PORT (25). */
  probe?: { port: number; timeoutMs?: number };
}

const verdict = (
  result: VerificationResult,
  reason: VerificationReason,
  probe: ProbeOutcome | null = null,
) => ({
  result,
  reason,
  probe,
});

export async function verifyAddress(email: string, opts: VerifyOptions): Promise<Verification> {
  const parsed = parseAddress(email);
  if (!parsed) return verdict("invalid", "syntax");
  const domain = parsed.asciiDomain;
  if (isDisposableDomain(domain)) return verdict("invalid", "disposable");

  let exchanges: string[];
  try {
    const mx = await opts.resolver.mx(domain);
    // RFC 7505 null MX ("0 ."): the domain says it accepts no mail
    if (mx.length === 1 && mx[0].exchange === "") return verdict("invalid", "no_mx");
    exchanges = mx.sort((a, b) => a.preference - b.preference).map((r) => r.exchange);
    if (!exchanges.length) {
      const a = await opts.resolver.a(domain);
      if (a.length) exchanges = [domain];
      else return verdict("invalid", (await opts.resolver.domainExists(domain)) ? "no_mx" : "no_domain");
    }
  } catch (error) {
    if (error instanceof DnsTimeoutError) return verdict("risky", "dns_timeout");
    throw error;
  }

  let probe: ProbeOutcome | null = null;
  if (opts.probe) {
    probe = "unknown";
    try {
      // connect to the exchanger's address as our resolver sees it (not the system's)
      const [ip] = await opts.resolver.a(exchanges[0]);
      if (ip) {
        const local = parsed.local;
        probe = await probeAddress(`${local}@${domain}`, {
          host: ip,
          port: opts.probe.port,
          timeoutMs: opts.probe.timeoutMs,
        });
      }
    } catch (error) {
      if (!(error instanceof DnsTimeoutError)) throw error;
    }
    if (probe === "rejected") return verdict("invalid", "smtp_rejected", probe);
    if (probe === "catch_all") return verdict("risky", "catch_all", probe);
  }
  if (isRoleAddress(email)) return verdict("risky", "role", probe);
  return verdict("valid", "ok", probe);
}
