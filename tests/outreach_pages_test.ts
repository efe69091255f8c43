/**
 * The outreach pages in real headless Chromium: the sequence editor's live
 * preview and save, the admin mailboxes page (token form, table, SVG chart),
 * the development outbox, and the unsubscribe button.
 */
import assert from "node:assert/strict";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "@/tests/helpers/app.ts";
import { hasChromium, launchChromium } from "@/tests/helpers/browser.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { createMailboxes } from "@/tests/helpers/outreach_fixtures.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";

Deno.test({
  name: "[e2e] outreach pages in Chromium - editor preview and save, admin mailboxes, outbox, unsubscribe",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await useAppDatabase("outreach_pages");
    const server = await startTestServer(); // MAIL_TRANSPORT=outbox
    const browser = await launchChromium();
    try {
      const user = await createUserWithToken(server.url, { full_name: "Paula Page" });
      const [company] = await db
        .sql`insert into companies (name, domain) values ('Vandelay', 'vandelay.example')
                                     returning id`;
      const [job] = await db.sql`insert into jobs (source, title, company_id)
                                 values ('test', 'Import Analyst', ${company.id}) returning id`;
      const app = await api(server.url, "POST", "/api/applications", {
        token: user.token,
        body: { job_id: job.id },
      });
      const contact = await api(server.url, "POST", "/api/contacts", {
        token: user.token,
        body: {
          company_id: company.id,
          full_name: "Art Vandelay",
          email: "art@vandelay.example",
          source: "t",
        },
      });
      const context = await browser.newContext();
      const [name, value] = user.cookie.split("=");
      await context.addCookies([{ name, value, url: server.url }]);
      const page = await context.newPage();

      // The list, then a new sequence opens in the editor.
      await page.goto(`${server.url}/sequences`);
      assert.ok(await page.getByText("Job Seeker Default").isVisible());
      await page.fill("#name", "Art outreach");
      await Promise.all([
        page.waitForURL(/\/sequences\/\d+$/),
        page.click("form[action='/sequences'] button"),
      ]);
      const sequenceId = Number(new URL(page.url()).pathname.split("/").at(-1));

      // Live preview: rendered for the user's contact as the subject is typed.
      await page.waitForSelector("#subject-0:not([disabled])");
      await page.fill("#subject-0", "Hello {{first_name}} about {{role}}");
      await page.waitForFunction(() =>
        document.querySelector(".preview-subject")?.textContent === "Hello Art about Import Analyst"
      );
      await page.fill("#body-0", "Dear {{full_name}}, {{hobby}}");
      await page.fill("[data-variable='hobby']", "latex");
      await page.waitForFunction(() =>
        document.querySelector(".preview-body")?.textContent === "Dear Art Vandelay, latex"
      );
      await page.click("#save-sequence");
      await page.getByText("Saved.").waitFor();
      const [saved] = await db.sql`select steps from sequence_templates where id = ${sequenceId}`;
      assert.equal(saved.steps[0].subject, "Hello {{first_name}} about {{role}}");

      // A bad delay comes back beside its field.
      await page.click("text=Add a step");
      await page.fill("#delay-1", "-5");
      await page.click("#save-sequence");
      await page.getByText("must be 0 or more").waitFor();

      // Enroll and dispatch through the outbox; the outbox page shows the message.
      const enrolled = await api(server.url, "POST", `/api/applications/${app.body.id}/outreach`, {
        token: user.token,
        body: { contact_id: contact.body.id, sequence_id: sequenceId, variables: { hobby: "latex" } },
      });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      await createMailboxes(db.sql, [20]);
      assert.equal((await dispatchOutreach(appOn(db.sql))).sent, 1);
      await page.goto(`${server.url}/dev/outbox`);
      assert.ok(await page.getByText("Hello Art about Import Analyst").isVisible());

      // Admin mailboxes: token form, then the table and the chart.
      const admin = await browser.newContext();
      const adminPage = await admin.newPage();
      const first = await adminPage.goto(`${server.url}/admin/mailboxes`);
      assert.equal(first?.status(), 401);
      await adminPage.fill("#token", "wrong-token-0123456789");
      await adminPage.click("button[type=submit]");
      await adminPage.getByText("Wrong admin token.").waitFor();
      await adminPage.fill("#token", TEST_ENV.ROLEFERRY_ADMIN_TOKEN);
      await adminPage.click("button[type=submit]");
      await adminPage.waitForSelector("#mailboxes tbody tr");
      const cells = await adminPage.locator("#mailboxes tbody tr td").allTextContents();
      assert.match(cells.join(" | "), /active \| 100 \| 1\s*1 \/ 20 \| 20/);
      assert.equal(await adminPage.locator("#mailbox-chart polyline").count(), 1);
      const cookies = await admin.cookies();
      const adminCookie = cookies.find((c) => c.name === "rf_admin")!;
      assert.equal(adminCookie.httpOnly, true);
      assert.notEqual(adminCookie.value, TEST_ENV.ROLEFERRY_ADMIN_TOKEN, "the cookie is not the token");

      // Unsubscribe with the button.
      const [row] = await db.sql`select unsubscribe_token from outreach where id = ${
        enrolled.body.items[0].id
      }`;
      const visitor = await browser.newPage();
      await visitor.goto(`${server.url}/unsubscribe/${row.unsubscribe_token}`);
      await visitor.click("#unsubscribe");
      await visitor.waitForSelector("#unsubscribed");
      const [c] = await db.sql`select opted_out from contacts where id = ${contact.body.id}`;
      assert.equal(c.opted_out, true);
    } finally {
      await browser.close();
      await server.close();
      await db.drop();
    }
  },
});
