/**
 * Deliverability in real headless Chromium: adding a contact without an email
 * on the job page and picking a proposed address; a mailbox whose domain
 * fails DKIM cannot be activated from its DNS page in production, and can
 * once the record is published. DNS comes from a local authoritative server.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { hasChromium, launchChromium } from "@/tests/helpers/browser.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { startFakeDns, type ZoneRecords } from "@/tests/helpers/dns_server.ts";

const KEY = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1TaNgLlSyQMNWVLNLvyY";
const ZONES: Record<string, ZoneRecords> = {
  "initech.example": { MX: [{ exchange: "mx.initech.example", priority: 10 }] },
  "weak.example": {
    TXT: ["v=spf1 include:mailgun.org ~all"],
    MX: [{ exchange: "mxa.mailgun.org", priority: 10 }],
  },
  "_dmarc.weak.example": { TXT: ["v=DMARC1; p=quarantine"] },
  "mailgun.org": { TXT: ["v=spf1 ip4:198.61.254.0/23 ~all"] },
};

const db = await useAppDatabase("deliverability_browser");
const dns = await startFakeDns(ZONES);

Deno.test({
  name: "[e2e] Chromium - add a contact without an email and pick a proposed address",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startTestServer({ ROLEFERRY_DNS: dns.address }, { sql: db.sql });
    const browser = await launchChromium();
    try {
      const user = await createUserWithToken(server.url, { full_name: "Rosa Finder" });
      const [company] = await db.sql`
        insert into companies (name, domain) values ('Initech', 'initech.example') returning id`;
      const [job] = await db.sql`
        insert into jobs (source, title, company_id) values ('test', 'SRE', ${company.id}) returning id`;
      for (
        const [full_name, email] of [["Peter Gibbons", "pgibbons@initech.example"], [
          "Michael Bolton",
          "mbolton@initech.example",
        ]]
      ) {
        const res = await api(server.url, "POST", "/api/contacts", {
          token: user.token,
          body: { company_id: company.id, full_name, email, source: "manual" },
        });
        assert.equal(res.status, 201);
      }

      const context = await browser.newContext();
      await context.addCookies([{ name: "rf_session", value: user.token, url: server.url }]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${server.url}/jobs/${job.id}`);
      await page.fill("#finder-name", "Milton Waddams");
      await page.click("#finder-find");
      const first = page.locator("label.suggestion").first();
      await first.waitFor();
      assert.equal(
        await first.getAttribute("data-email"),
        "mwaddams@initech.example",
        "the company's pattern first",
      );
      assert.match(await first.innerText(), /flast, 2 known contacts here use it/);
      assert.match(await first.innerText(), /valid/);
      assert.equal(await page.locator("label.suggestion").count(), 8);
      // pick the second proposal rather than the default
      await page.locator('label.suggestion[data-email="milton.waddams@initech.example"] input').check();
      await page.click("#finder-add");
      await page.locator("[role=status]:has-text('Added Milton Waddams')").waitFor();
      const [row] = await db.sql`
        select email, email_guessed, source from contacts where full_name = 'Milton Waddams'`;
      assert.deepEqual([row.email, row.email_guessed, row.source], [
        "milton.waddams@initech.example",
        true,
        "suggested",
      ]);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
});

Deno.test({
  name: "[e2e] Chromium - production: a mailbox whose domain fails DKIM cannot be activated",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startTestServer({
      ROLEFERRY_ENV: "production",
      ROLEFERRY_DNS: dns.address,
      MAIL_TRANSPORT: "mailgun",
      MAILGUN_API_KEY: "key-test-never-used",
      MAILGUN_URL: "http://127.0.0.1:9",
      APP_BASE_URL: "https://app.example",
      MAIL_SYSTEM_FROM: "RoleFerry <no-reply@app.example>",
    }, { sql: db.sql });
    const browser = await launchChromium();
    const ADMIN = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };
    try {
      const created = await api(server.url, "POST", "/api/admin/mailboxes", {
        headers: ADMIN,
        body: {
          email: "sam@weak.example",
          domain: "weak.example",
          smtp_host: "smtp.weak.example",
          smtp_username: "sam",
          smtp_password: "pw",
          status: "paused",
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const context = await browser.newContext({ extraHTTPHeaders: ADMIN });
      const page = await context.newPage();
      await page.goto(`${server.url}/admin/mailboxes/${created.body.id}/dns`);
      assert.equal(await page.locator("tr[data-check=dkim]").getAttribute("data-status"), "fail");
      assert.equal(await page.locator("tr[data-check=spf]").getAttribute("data-status"), "pass");
      assert.match(await page.locator("tr[data-check=dkim]").innerText(), /smtp\._domainkey\.weak\.example/);

      await page.click("#activate-mailbox");
      await page.locator("[role=alert]").waitFor();
      assert.match(await page.locator("[role=alert]").innerText(), /DKIM/);
      const [still] = await db.sql`select status from mailboxes where id = ${created.body.id}`;
      assert.equal(still.status, "paused");

      ZONES["smtp._domainkey.weak.example"] = { TXT: [`v=DKIM1; k=rsa; p=${KEY}`] };
      await page.click("text=Check again");
      await page.waitForLoadState();
      assert.equal(await page.locator("tr[data-check=dkim]").getAttribute("data-status"), "pass");
      await page.click("#activate-mailbox");
      await page.waitForLoadState();
      assert.equal(await page.locator("#mailbox-status").innerText(), "active");
      const [now] = await db.sql`select status from mailboxes where id = ${created.body.id}`;
      assert.equal(now.status, "active");
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
