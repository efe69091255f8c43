/**
 * The recruiter's journey in real headless Chromium: sign up as a recruiter (no resume asked), confirm the
 * address through the emailed link, add a role for a client, source a candidate, send the "Recruiter Cold Intro",
 * and move the candidate along the pipeline. Screenshots under test-artifacts/screenshots/ (gitignored).
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { hasChromium, launchChromium } from "@/tests/helpers/browser.ts";
import { settleSystemMail } from "@/services/mail/system_mail.ts";

const SHOTS = new URL("../test-artifacts/screenshots/", import.meta.url);

Deno.test({
  name: "[e2e] recruiter journey in Chromium - sign up, verify, add a role, source, send the intro, move on",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await Deno.mkdir(SHOTS, { recursive: true });
    const db = await useAppDatabase("browser_recruiter");
    const server = await startTestServer();
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      const shot = (name: string) =>
        page.screenshot({ path: new URL(`recruiter-${name}.png`, SHOTS).pathname, fullPage: true });

      await page.goto(server.url + "/signup");
      await page.fill("#full_name", "Rita Recruiter");
      await page.fill("#email", "rita@agency.test");
      await page.fill("#password", "a-very-long-password");
      await page.check("input[name=mode][value=recruiter]");
      await page.click("button[type=submit]:has-text('Sign up')");
      await page.waitForURL("**/roles");
      await shot("01-roles-empty");
      assert.equal(await page.locator("h1").innerText(), "Roles you are filling");
      const nav = await page.locator("nav").innerText();
      assert.match(nav, /Roles/);
      assert.doesNotMatch(nav, /Settings|Applications/);
      // No resume is asked: the settings page sends a recruiter to the account page.
      await page.goto(server.url + "/settings");
      await page.waitForURL("**/account");
      assert.doesNotMatch(await page.content(), /Resume/);

      // Confirm the address through the link in the email (the outbox in development).
      await settleSystemMail(server.app);
      const [mail] = await db.sql`select body from outbox_messages where to_email = 'rita@agency.test'
        and headers->>'X-RoleFerry-System' = 'verify_email' order by id desc limit 1`;
      const link = /https?:\/\/\S+\/verify\/[A-Za-z0-9_-]{43}/.exec(mail.body)![0];
      await page.goto(server.url + new URL(link).pathname);
      await page.click("button:has-text('Confirm my address')");
      await page.waitForSelector("text=your address is confirmed");
      await shot("02-verified");

      await page.goto(server.url + "/roles");
      await page.fill("#title", "Head of Platform");
      await page.fill("#company_name", "Client Corp");
      await page.fill("#company_domain", "client-corp.test");
      await page.click("button:has-text('Add the role')");
      await page.waitForURL(/\/roles\/\d+$/);
      assert.match(await page.locator("h1").innerText(), /Head of Platform/);

      await page.fill("#full_name", "Pat Passive");
      await page.fill("#email", "pat@employer.test");
      await page.fill("#title", "Staff SRE");
      await page.fill("#company_name", "Current Employer");
      await page.click("button:has-text('Add as sourced')");
      await page.waitForURL(/\/roles\/\d+\?done=added$/);
      const sourced = page.locator("[data-stage=sourced] [data-candidate='pat@employer.test']");
      assert.equal(await sourced.count(), 1);
      await shot("03-sourced");

      await sourced.locator("button:has-text('Send Recruiter Cold Intro')").click();
      await page.waitForURL(/done=reached$/);
      assert.match(await page.locator("[role=status]").innerText(), /Recruiter Cold Intro queued/);
      const [queued] = await db.sql`select subject from outreach where step_no = 1`;
      assert.equal(queued.subject, "Head of Platform opportunity at Client Corp");

      const card = page.locator("[data-candidate='pat@employer.test']");
      await card.locator("select").selectOption("interviewing");
      await card.locator("button:has-text('Move')").click();
      await page.waitForURL(/done=moved$/);
      assert.equal(
        await page.locator("[data-stage=interviewing] [data-candidate='pat@employer.test']").count(),
        1,
      );
      // No match score anywhere in the recruiter's pages.
      assert.doesNotMatch(await page.locator("main").innerText(), /\d+ · (excellent|strong|fair|low)|match/i);
      assert.equal(await page.locator(".badge").count(), 0);
      await shot("04-interviewing");

      await page.click("nav >> text=Roles");
      await page.waitForURL("**/roles");
      assert.equal(await page.locator("[data-stage=interviewing]").first().innerText(), "1");

      // An imported job: no score, one action, "Fill this role".
      await api(server.url, "POST", "/api/admin/jobs/import", {
        headers: { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` },
        body: {
          jobs: [{
            external_id: "rj-1",
            source: "test",
            title: "Data Engineer",
            company: { name: "Pub", domain: "pub.test" },
          }],
        },
      });
      const [job] = await db.sql`select id from jobs where external_id = 'rj-1'`;
      await page.goto(`${server.url}/jobs/${job.id}`);
      assert.equal(await page.locator(".badge").count(), 0);
      assert.doesNotMatch(await page.locator("main").innerText(), /Why this score/);
      await page.click("button:has-text('Fill this role')");
      await page.waitForURL(/\/roles\/\d+$/);
      assert.match(await page.locator("h1").innerText(), /Data Engineer/);
      await shot("05-filled-imported-job");
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await browser.close();
      await server.close();
      await db.drop();
    }
  },
});
