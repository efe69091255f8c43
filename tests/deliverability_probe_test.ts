/**
 * Verification with ROLEFERRY_SMTP_PROBE=on over real HTTP: the probe connects
 * to the exchanger that the local DNS names (127.0.0.1) on
 * ROLEFERRY_SMTP_PROBE_PORT, where a local `smtp-server` knows the mailboxes.
 * An accepted probe confirms a guessed address; nothing is ever sent.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { startFakeDns } from "@/tests/helpers/dns_server.ts";
import { startProbeSmtp } from "@/tests/helpers/probe_smtp_server.ts";

const db = await useAppDatabase("deliverability_probe");
const dns = await startFakeDns({
  "initech.example": { MX: [{ exchange: "mx.initech.example", priority: 10 }] },
  "loose.example": { MX: [{ exchange: "mx.initech.example", priority: 10 }] },
  "mx.initech.example": { A: ["127.0.0.1"] },
});
const smtp = await startProbeSmtp(["peter.gibbons@initech.example"], { catchAllDomains: ["loose.example"] });
const server = await startTestServer({
  ROLEFERRY_DNS: dns.address,
  ROLEFERRY_SMTP_PROBE: "on",
  ROLEFERRY_SMTP_PROBE_PORT: String(smtp.port),
}, { sql: db.sql });
const user = await createUserWithToken(server.url, { full_name: "Pat Probe" });
const [company] = await db
  .sql`insert into companies (name, domain) values ('Initech', 'initech.example') returning id`;

Deno.test("[e2e] POST /api/contacts/:id/verify with the probe - accepted, rejected, catch-all", async () => {
  const cases: [string, boolean, string, string, boolean][] = [
    ["peter.gibbons@initech.example", true, "valid", "ok", false],
    ["nobody.here@initech.example", true, "invalid", "smtp_rejected", true],
    ["anyone@loose.example", true, "risky", "catch_all", true],
  ];
  for (const [email, guessed, result, reason, stillGuessed] of cases) {
    const contact = await api(server.url, "POST", "/api/contacts", {
      token: user.token,
      body: {
        company_id: company.id,
        full_name: `Probe ${reason}`,
        email,
        email_guessed: guessed,
        source: "test",
      },
    });
    assert.equal(contact.status, 201, JSON.stringify(contact.body));
    const res = await api(server.url, "POST", `/api/contacts/${contact.body.id}/verify`, {
      token: user.token,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.verification.result, res.body.verification.reason], [result, reason], email);
    assert.equal(res.body.email_guessed, stillGuessed, `${email}: only an accepted probe confirms a guess`);
  }
  assert.ok(smtp.rcpts.includes("peter.gibbons@initech.example"));
  assert.equal(smtp.dataAttempts, 0, "the probe never sends");
});
