/**
 * The app context's DNS resolver (services/deliverability/dns.ts, built by app/context.ts): it asks the
 * configured ROLEFERRY_DNS, and its answer cache belongs to one app context, not to the process.
 */
import assert from "node:assert/strict";
import { createAppContext } from "@/app/context.ts";
import { useTestApp } from "@/tests/helpers/app.ts";
import { startFakeDns } from "@/tests/helpers/dns_server.ts";

Deno.test("AppContext.resolver - asks ROLEFERRY_DNS, caches per app context", async () => {
  const dns = await startFakeDns({ "mail.example": { A: ["192.0.2.7"] } });
  const t = await useTestApp("app_resolver", { env: { ROLEFERRY_DNS: dns.address } });
  try {
    assert.deepEqual(await t.app.resolver.a("mail.example"), ["192.0.2.7"]);
    await t.app.resolver.a("mail.example");
    assert.equal(t.app.resolver.queries, 1, "the second lookup is answered from the cache");
    const other = createAppContext(t.app.config, t.app.sql);
    assert.notEqual(other.resolver, t.app.resolver);
    assert.equal(other.resolver.queries, 0, "another context starts with its own cache");
  } finally {
    await t.close();
    await dns.close();
  }
});
