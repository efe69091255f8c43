/**
 * In production a mailbox whose domain fails SPF, DKIM or DMARC cannot be
 * created active or in warm-up: 422 dns_check_failed, nothing written. The
 * Mailgun transport requires `include:mailgun.org` in SPF.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { startFakeDns, type ZoneRecords } from "@/tests/helpers/dns_server.ts";
import { tablesWrittenBy } from "@/tests/helpers/writes.ts";

const KEY = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1TaNgLlSyQMNWVLNLvyY";
const zone = (domain: string, spf: string, dmarc = "v=DMARC1; p=reject"): Record<string, ZoneRecords> => ({
  [domain]: { TXT: [spf], MX: [{ exchange: "mxa.mailgun.org", priority: 10 }] },
  [`smtp._domainkey.${domain}`]: { TXT: [`v=DKIM1; k=rsa; p=${KEY}`] },
  [`_dmarc.${domain}`]: { TXT: [dmarc] },
});
const ZONES = {
  ...zone("good.example", "v=spf1 include:mailgun.org ~all"),
  ...zone("gmailspf.example", "v=spf1 include:_spf.google.com ~all"),
  ...zone("monitor.example", "v=spf1 include:mailgun.org ~all", "v=DMARC1; p=none"),
  "mailgun.org": { TXT: ["v=spf1 ip4:198.61.254.0/23 ~all"] },
};

const db = await useAppDatabase("deliverability_production");
const dns = await startFakeDns(ZONES);
const server = await startTestServer({
  ROLEFERRY_ENV: "production",
  ROLEFERRY_DNS: dns.address,
  MAIL_TRANSPORT: "mailgun",
  MAILGUN_API_KEY: "key-test-never-used",
  MAILGUN_URL: "http://127.0.0.1:9",
  APP_BASE_URL: "https://app.example",
  MAIL_SYSTEM_FROM: "RoleFerry <no-reply@app.example>",
}, { sql: db.sql });
const ADMIN = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };

const mailbox = (domain: string, extra: Record<string, unknown> = {}) => ({
  email: `sam.${crypto.randomUUID().slice(0, 6)}@${domain}`,
  domain,
  smtp_host: `smtp.${domain}`,
  smtp_username: "sam",
  smtp_password: "pw",
  ...extra,
});

Deno.test("[e2e] production - a mailbox on a failing domain is refused with 422 dns_check_failed", async () => {
  for (
    const [domain, status, failing] of [
      ["gmailspf.example", "active", "dns.spf"],
      ["nothing.example", "warmup", "dns.dkim"],
    ] as const
  ) {
    const { value: res, tables } = await tablesWrittenBy(
      db.sql,
      () =>
        api(server.url, "POST", "/api/admin/mailboxes", {
          headers: ADMIN,
          body: mailbox(domain, { status }),
        }),
    );
    assert.equal(res.status, 422, `${domain}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, "dns_check_failed");
    assert.ok(res.body.error.fields[failing], JSON.stringify(res.body.error.fields));
    assert.deepEqual(tables, []);
  }
  const spf = await api(server.url, "POST", "/api/admin/mailboxes", {
    headers: ADMIN,
    body: mailbox("gmailspf.example"),
  });
  assert.match(spf.body.error.fields["dns.spf"], /include:mailgun\.org/, "the expected record is named");
});

Deno.test("[e2e] production - a passing domain (DMARC p=none only warns) is created, a failing one only paused", async () => {
  const good = await api(server.url, "POST", "/api/admin/mailboxes", {
    headers: ADMIN,
    body: mailbox("good.example", { status: "active" }),
  });
  assert.equal(good.status, 201, JSON.stringify(good.body));
  const [row] = await db.sql`select dns_check, dns_checked_at from mailboxes where id = ${good.body.id}`;
  assert.equal(row.dns_check.spf.status, "pass", "the check made at creation is stored");
  assert.ok(row.dns_checked_at);

  const monitor = await api(server.url, "POST", "/api/admin/mailboxes", {
    headers: ADMIN,
    body: mailbox("monitor.example"),
  });
  assert.equal(monitor.status, 201, JSON.stringify(monitor.body));

  const paused = await api(server.url, "POST", "/api/admin/mailboxes", {
    headers: ADMIN,
    body: mailbox("gmailspf.example", { status: "paused" }),
  });
  assert.equal(paused.status, 201);
});
