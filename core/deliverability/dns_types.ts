/**
 * What the deliverability checks need from DNS, as a pure interface: the pure checks
 * (core/deliverability/mailbox_dns.ts) take a `Resolver`, and services/deliverability/dns.ts implements it
 * over `Deno.resolveDns` with a cache. Kept here so the pure layer does not import a service for a type.
 */

export type RecordType = "A" | "AAAA" | "MX" | "TXT" | "NS" | "SOA" | "CNAME";

export interface MxRecord {
  preference: number;
  exchange: string;
}

/** The DNS server did not answer in time (or the query failed otherwise than "no records"). */
export class DnsTimeoutError extends Error {
  constructor(name: string, type: string, options?: { cause?: unknown }) {
    super(`DNS ${type} ${name}: no answer`, options);
    this.name = "DnsTimeoutError";
  }
}

export interface Resolver {
  /** Records of one type; [] when there are none. Throws DnsTimeoutError on no answer. */
  txt(name: string): Promise<string[]>;
  mx(name: string): Promise<MxRecord[]>;
  a(name: string): Promise<string[]>;
  /** Whether the name exists at all (any of NS, SOA, A, AAAA, MX, TXT). */
  domainExists(name: string): Promise<boolean>;
  /** Lookups that went to the network (not answered from the cache). */
  readonly queries: number;
}
