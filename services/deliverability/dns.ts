/**
 * DNS lookups for deliverability checks, over `Deno.resolveDns`, with the name
 * server taken from `ROLEFERRY_DNS` (`host:port`; unset: the system's), a
 * per-query timeout, and a cache.
 *
 * Two limits of `Deno.resolveDns` shape this module:
 * - it does not expose record TTLs, so answers are cached for a fixed time
 *   (`ttlMs`, 5 minutes; empty answers `negativeTtlMs`, 1 minute, as RFC 2308
 *   advises short negative caching). Timeouts are never cached.
 * - NXDOMAIN, NODATA and SERVFAIL all surface as `Deno.errors.NotFound`, so
 *   "the name does not exist" is told from "it has no such record" by asking
 *   for the records every existing domain has (`domainExists`).
 *
 * The app's resolver is made once by the composition root (app/context.ts → `app.resolver`), so its cache is
 * the process's; a check that must see fresh answers makes its own with `createResolver`.
 */

import {
  DnsTimeoutError,
  type MxRecord,
  type RecordType,
  type Resolver,
} from "@/core/deliverability/dns_types.ts";

/** The pure interface lives in core (core/deliverability/dns_types.ts); re-exported for this module's users. */
export {
  DnsTimeoutError,
  type MxRecord,
  type RecordType,
  type Resolver,
} from "@/core/deliverability/dns_types.ts";

export interface ResolverOptions {
  /** `host:port` (IPv6 in brackets); undefined: the system's resolver. */
  nameServer?: string;
  timeoutMs?: number;
  ttlMs?: number;
  negativeTtlMs?: number;
  /** Cache entries kept at most (oldest dropped first). */
  maxEntries?: number;
  now?: () => number;
}

/** Parses `host:port` (`[::1]:53`, `127.0.0.1:5353`, `127.0.0.1`); throws on anything else. */
export function parseNameServer(value: string): { ipAddr: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+))(?::([0-9]{1,5}))?$/.exec(value.trim());
  if (!m) throw new Error(`ROLEFERRY_DNS must be host:port, got ${JSON.stringify(value)}`);
  const port = m[3] ? Number(m[3]) : 53;
  if (port < 1 || port > 65535) throw new Error(`ROLEFERRY_DNS port out of range: ${port}`);
  return { ipAddr: m[1] ?? m[2], port };
}

export function createResolver(opts: ResolverOptions = {}): Resolver {
  const nameServer = opts.nameServer ? parseNameServer(opts.nameServer) : undefined;
  const timeoutMs = opts.timeoutMs ?? 3000;
  const ttlMs = opts.ttlMs ?? 300_000;
  const negativeTtlMs = opts.negativeTtlMs ?? 60_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { until: number; value: unknown[] }>();
  let queries = 0;

  async function lookup<T>(name: string, type: RecordType): Promise<T[]> {
    const key = `${type} ${name.toLowerCase()}`;
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.value as T[];
    queries++;
    let value: unknown[];
    try {
      value = await Deno.resolveDns(name, type as "A", {
        ...(nameServer ? { nameServer } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw new DnsTimeoutError(name, type, { cause: error });
      value = [];
    }
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(key, { until: now() + (value.length ? ttlMs : negativeTtlMs), value });
    return value as T[];
  }

  return {
    // a TXT record arrives as its character-strings: one record is their concatenation (RFC 7208 §3.3)
    txt: async (name) => (await lookup<string[]>(name, "TXT")).map((parts) => parts.join("")),
    mx: async (name) =>
      (await lookup<MxRecord>(name, "MX")).map((r) => ({
        preference: r.preference,
        exchange: r.exchange.toLowerCase().replace(/\.$/, ""),
      })),
    a: (name) => lookup<string>(name, "A"),
    async domainExists(name) {
      for (const type of ["NS", "SOA", "A", "AAAA", "MX", "TXT"] as const) {
        if ((await lookup(name, type)).length) return true;
      }
      return false;
    },
    get queries() {
      return queries;
    },
  };
}
