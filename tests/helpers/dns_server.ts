/**
 * A small authoritative DNS server on 127.0.0.1 (npm `dns2`, UDP) that serves
 * fixture zones, so tests resolve through `ROLEFERRY_DNS` without traffic
 * beyond the machine. A name absent from the zones answers NXDOMAIN; a name
 * present without the asked type answers NOERROR with no records (NODATA), as
 * an authoritative server does. Names listed in `silent` never answer (a
 * timeout), names in `servfail` answer SERVFAIL.
 */
import dns2 from "dns2";

const { Packet } = dns2;

export interface ZoneRecords {
  A?: string[];
  MX?: { exchange: string; priority: number }[];
  TXT?: string[];
  CNAME?: string;
}

export interface FakeDns {
  /** `127.0.0.1:PORT`, the value for ROLEFERRY_DNS. */
  address: string;
  port: number;
  /** Queries received, as `TYPE name`. */
  queries: string[];
  close(): Promise<void>;
}

export async function startFakeDns(
  zones: Record<string, ZoneRecords>,
  opts: { silent?: string[]; servfail?: string[]; ttl?: number; world?: boolean } = {},
): Promise<FakeDns> {
  // read on every query, so a test can change a zone while the server runs
  const lookup = (name: string) =>
    Object.entries(zones).find(([k]) => k.toLowerCase().replace(/\.$/, "") === name)?.[1];
  const queries: string[] = [];
  const typeName = new Map(Object.entries(Packet.TYPE).map(([k, v]) => [v as number, k]));
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      // the typings want Resource objects with toBuffer; the encoder takes plain records, as documented
      // deno-lint-ignore no-explicit-any
      const response: any = Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      const name = String(q.name).toLowerCase().replace(/\.$/, "");
      const type = typeName.get(q.type) ?? String(q.type);
      queries.push(`${type} ${name}`);
      if (opts.silent?.includes(name)) return;
      response.header.aa = 1;
      if (opts.servfail?.includes(name)) {
        response.header.rcode = Packet.RCODE.SERVFAIL;
        return send(response);
      }
      const zone = lookup(name) ??
        (opts.world && !name.endsWith(".invalid")
          ? { MX: [{ exchange: `mx.${name}`, priority: 10 }], A: ["127.0.0.1"] }
          : undefined);
      if (!zone) {
        response.header.rcode = Packet.RCODE.NXDOMAIN;
        return send(response);
      }
      const base = { name: q.name, class: Packet.CLASS.IN, ttl: opts.ttl ?? 300 };
      if (type === "A") {
        for (const address of zone.A ?? []) {
          response.answers.push({ ...base, type: Packet.TYPE.A, address });
        }
      }
      if (type === "MX") {
        for (const mx of zone.MX ?? []) response.answers.push({ ...base, type: Packet.TYPE.MX, ...mx });
      }
      if (type === "TXT") {
        for (const txt of zone.TXT ?? []) {
          // long records are split into 255-octet character-strings, as real zones do
          const parts = txt.match(/.{1,255}/gs) ?? [""];
          response.answers.push({ ...base, type: Packet.TYPE.TXT, data: parts });
        }
      }
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  // deno-lint-ignore no-explicit-any
  const port = (server.addresses() as any).udp.port as number;
  return {
    address: `127.0.0.1:${port}`,
    port,
    queries,
    close: () => server.close(),
  };
}

/**
 * The fixture world's DNS for tests that are not about DNS: every name is a
 * mail domain (MX `mx.<name>`, A 127.0.0.1) except names under `.invalid`
 * (RFC 6761), which do not exist. It keeps enrollment (which verifies
 * addresses) from asking the machine's resolver.
 */
export function startWorldDns(): Promise<FakeDns> {
  return startFakeDns({}, { world: true });
}
