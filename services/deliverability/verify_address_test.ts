import assert from "node:assert/strict";
import { createResolver } from "./dns.ts";
import { verifyAddress } from "./verify_address.ts";
import { startFakeDns } from "@/tests/helpers/dns_server.ts";
import { startProbeSmtp } from "@/tests/helpers/probe_smtp_server.ts";

const ZONES = {
  "acme.example": { MX: [{ exchange: "mx.acme.example", priority: 10 }], A: ["192.0.2.10"] },
  "mx.acme.example": { A: ["127.0.0.1"] },
  "a-only.example": { A: ["192.0.2.20"] },
  "txt-only.example": { TXT: ["v=spf1 -all"] },
  "nullmx.example": { MX: [{ exchange: "", priority: 0 }] },
  "xn--bcher-kva.example": { MX: [{ exchange: "mx.acme.example", priority: 5 }] },
  "catchall.example": { MX: [{ exchange: "mx.catchall.example", priority: 10 }] },
  "mx.catchall.example": { A: ["127.0.0.1"] },
  // an unusual TLD is judged by its DNS like any other
  "company.zz": { MX: [{ exchange: "mx.acme.example", priority: 10 }] },
};

Deno.test("verifyAddress - every DNS outcome through a local authoritative server", async () => {
  const dns = await startFakeDns(ZONES, { silent: ["slow.example"] });
  try {
    const resolver = createResolver({ nameServer: dns.address, timeoutMs: 300 });
    const cases: [string, string, string][] = [
      ["ada@acme.example", "valid", "ok"],
      ["ada@a-only.example", "valid", "ok"],
      ["ada@company.zz", "valid", "ok"],
      ["ada@bücher.example", "valid", "ok"],
      ["careers@acme.example", "risky", "role"],
      ["ada@slow.example", "risky", "dns_timeout"],
      ["ada@txt-only.example", "invalid", "no_mx"],
      ["ada@nullmx.example", "invalid", "no_mx"],
      ["ada@nowhere.example", "invalid", "no_domain"],
      ["ada@mailinator.com", "invalid", "disposable"],
      ["ada@@acme.example", "invalid", "syntax"],
    ];
    for (const [email, result, reason] of cases) {
      const got = await verifyAddress(email, { resolver });
      assert.deepEqual([got.result, got.reason], [result, reason], email);
      assert.equal(got.probe, null);
    }
    assert.ok(!dns.queries.some((q) => q.includes("mailinator")), "the list answers before DNS is asked");
  } finally {
    await dns.close();
  }
});

Deno.test("verifyAddress - the RCPT probe: accepted, rejected, catch-all, and no verdict", async () => {
  const strict = await startProbeSmtp(["ada@acme.example", "info@acme.example"]);
  const loose = await startProbeSmtp([], { catchAll: true });
  const grey = await startProbeSmtp([], { greylist: true });
  const dns = await startFakeDns(ZONES);
  try {
    const resolver = createResolver({ nameServer: dns.address, timeoutMs: 500 });
    const at = (port: number) => ({ resolver, probe: { port, timeoutMs: 2000 } });
    assert.deepEqual(await verifyAddress("ada@acme.example", at(strict.port)), {
      result: "valid",
      reason: "ok",
      probe: "accepted",
    });
    assert.deepEqual(await verifyAddress("nobody@acme.example", at(strict.port)), {
      result: "invalid",
      reason: "smtp_rejected",
      probe: "rejected",
    });
    assert.deepEqual(await verifyAddress("info@acme.example", at(strict.port)), {
      result: "risky",
      reason: "role",
      probe: "accepted",
    });
    assert.deepEqual(await verifyAddress("anyone@catchall.example", at(loose.port)), {
      result: "risky",
      reason: "catch_all",
      probe: "catch_all",
    });
    assert.deepEqual(await verifyAddress("ada@acme.example", at(grey.port)), {
      result: "valid",
      reason: "ok",
      probe: "unknown",
    });
    assert.equal(strict.dataAttempts + loose.dataAttempts + grey.dataAttempts, 0, "nothing is ever sent");
  } finally {
    await Promise.all([strict.close(), loose.close(), grey.close(), dns.close()]);
  }
});
