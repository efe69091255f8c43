import assert from "node:assert/strict";
import { createResolver, DnsTimeoutError, parseNameServer } from "./dns.ts";
import { startFakeDns } from "@/tests/helpers/dns_server.ts";

Deno.test("parseNameServer - host:port, bare host and bracketed IPv6", () => {
  assert.deepEqual(parseNameServer("127.0.0.1:5353"), { ipAddr: "127.0.0.1", port: 5353 });
  assert.deepEqual(parseNameServer("10.0.0.2"), { ipAddr: "10.0.0.2", port: 53 });
  assert.deepEqual(parseNameServer("[::1]:53"), { ipAddr: "::1", port: 53 });
  assert.throws(() => parseNameServer("dns.example:53"), /ROLEFERRY_DNS/);
  assert.throws(() => parseNameServer("127.0.0.1:99999"), /port/);
});

Deno.test("createResolver - answers from the configured server, caches, and times out", async () => {
  const dns = await startFakeDns({
    "a.example": {
      A: ["192.0.2.1"],
      MX: [{ exchange: "mx.a.example", priority: 10 }],
      TXT: ["x".repeat(300)],
    },
    "only-txt.example": { TXT: ["hello"] },
  }, { silent: ["slow.example"] });
  try {
    let clock = 0;
    const r = createResolver({ nameServer: dns.address, timeoutMs: 300, ttlMs: 1000, now: () => clock });
    assert.deepEqual(await r.a("a.example"), ["192.0.2.1"]);
    assert.deepEqual(await r.mx("a.example"), [{ preference: 10, exchange: "mx.a.example" }]);
    assert.deepEqual(await r.txt("a.example"), ["x".repeat(300)], "split character-strings are joined");
    assert.deepEqual(await r.mx("nope.example"), []);
    const before = r.queries;
    await r.a("A.example");
    assert.equal(r.queries, before, "a second lookup within the TTL is served from the cache");
    clock = 2000;
    await r.a("a.example");
    assert.equal(r.queries, before + 1, "after the TTL it asks again");
    assert.equal(await r.domainExists("only-txt.example"), true);
    assert.equal(await r.domainExists("nope.example"), false);
    await assert.rejects(() => r.a("slow.example"), DnsTimeoutError);
  } finally {
    await dns.close();
  }
});
