/**
 * Issue 12, point 1: a first run that sends. A real `deno run -A main.ts` in
 * development mode (cron on, the outbox transport, so the development
 * mailbox pool) on a fresh database; in Chromium a new user signs up, adds a
 * contact on the application page, reviews the emails (filling the template's
 * variable and editing a subject), queues them, pauses and resumes the
 * sequence, and the first email reaches /dev/outbox at the next dispatch tick:
 * no API call, no command. Each page is checked with axe-core and at 390 px.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { TEST_ENV } from "@/tests/helpers/server.ts";
import { hasChromium, launchChromium } from "@/tests/helpers/browser.ts";
import { checkPage } from "@/tests/helpers/page_checks.ts";
import { startWorldDns } from "@/tests/helpers/dns_server.ts";
import { spawnMain } from "@/tests/helpers/main_process.ts";

function startApp(databaseUrl: string, dnsServer: string) {
  const app = spawnMain({
    ...Deno.env.toObject(),
    ROLEFERRY_ENV: "development",
    ROLEFERRY_SECRET: TEST_ENV.ROLEFERRY_SECRET,
    ROLEFERRY_CRON: "on",
    MAIL_TRANSPORT: "outbox",
    DATABASE_URL: databaseUrl,
    // enrollment verifies the contact's address: the fixture world's DNS, never the machine's
    ROLEFERRY_DNS: dnsServer,
    HOSTNAME: "127.0.0.1",
    PORT: "0",
  });
  return { ...app, url: app.listening };
}

Deno.test({
  name:
    "[e2e] first run in Chromium - sign up, add a contact, review, queue, pause and resume, in /dev/outbox",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await useAppDatabase("browser_first_send");
    // A job to apply to (the catalogue comes from an import; not part of the user's journey).
    const [company] = await db.sql`insert into companies (name, domain) values ('Duolingo', 'duolingo.test')
                                   returning id`;
    const [job] = await db.sql`
      insert into jobs (source, title, company_id, description, posted_date)
      values ('test', 'Senior Backend Engineer', ${company.id}, 'Python and PostgreSQL.', current_date) returning id`;
    const dns = await startWorldDns();
    const app = startApp(db.url, dns.address);
    const browser = await launchChromium();
    try {
      const base = await Promise.race([
        app.url,
        new Promise<string>((_, reject) => setTimeout(() => reject(new Error(app.lines.join("\n"))), 60_000)),
      ]);
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        timezoneId: "Europe/Berlin",
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("dialog", (d) => d.accept());

      await page.goto(`${base}/signup`);
      await page.fill("#full_name", "Rosa First");
      await page.fill("#email", "rosa.first@example.test");
      await page.fill("#password", "a-very-long-password");
      await page.click("button[type=submit]:has-text('Sign up')");
      await page.waitForURL("**/settings?welcome=1");
      const [user] = await db.sql`select id, timezone from users where email = 'rosa.first@example.test'`;
      assert.equal(user.timezone, "Europe/Berlin", "the browser's time zone is stored at signup");

      // Outreach needs a verified address: the verification email is in the development outbox, and its
      // link opens a page with one button (mail scanners that follow links must not confirm).
      await page.goto(`${base}/dev/outbox`);
      const link = ((await page.locator(".email-body").first().textContent()) ?? "").match(
        /https?:\/\/\S+\/verify\/\S+/,
      );
      assert.ok(link, "the verification email with its link is in /dev/outbox");
      await page.goto(`${base}${new URL(link[0]).pathname}`);
      await page.click("button:has-text('Confirm my address')");
      await page.waitForLoadState();
      const [verified] = await db.sql`select email_verified from users where id = ${user.id}`;
      assert.equal(verified.email_verified, true, "the address is verified through the page");

      await page.goto(`${base}/jobs/${job.id}`);
      await checkPage(page, "first-send-01-job");
      await page.click("button:has-text('I applied')");
      await page.waitForURL(/\/applications\/\d+$/);
      const applicationUrl = page.url();

      // add a contact: first a mistake, which keeps what was typed and points at the field
      await page.click("summary:has-text('Add a contact')");
      await page.fill("#contact-full_name", "Luis von Ahn");
      await page.fill("#contact-email", "luis-at-duolingo");
      await page.click("button:has-text('Add contact')");
      await page.waitForSelector(".error-summary");
      assert.equal(await page.inputValue("#contact-full_name"), "Luis von Ahn");
      assert.equal(await page.getAttribute("#contact-email", "aria-invalid"), "true");
      assert.equal(await page.evaluate(() => document.activeElement?.className), "error-summary");
      await checkPage(page, "first-send-02-contact-error");
      await page.fill("#contact-email", "luis@duolingo.test");
      await page.fill("#contact-title", "CEO");
      await page.click("button:has-text('Add contact')");
      await page.waitForURL(/contact=added/);

      // review: the template needs {{my_metric}} (no resume yet), then every email is shown, editable
      await page.click("button:has-text('Review the emails')");
      await page.waitForSelector("#review");
      const variable = page.locator("#var_my_metric");
      if (await variable.count()) {
        await variable.fill("cut p99 latency by 40%");
        await page.click("button:has-text('Update the emails')");
        await page.waitForSelector("#subject_1");
      }
      const emails = await page.locator("#review .review-item").count();
      assert.ok(emails >= 2, `every step is shown for review (${emails})`);
      await page.fill("#subject_1", "A note from Rosa about the backend role");
      await checkPage(page, "first-send-03-review");
      await page.click("button:has-text('Queue these emails')");
      await page.waitForURL(/queued=1/);
      const subjects = await db.sql`select subject, status from outreach order by step_no`;
      assert.equal(subjects[0].subject, "A note from Rosa about the backend role");
      assert.ok(subjects.every((r) => r.status === "queued"));
      assert.match(await page.locator(".timeline").innerText(), /expected/);

      // pause: the timeline says why; resume: it runs again
      await page.click("button:has-text('Pause')");
      await page.waitForURL(/sequence=pause/);
      assert.ok(await page.locator('[data-waiting-reason="sequence_paused"]').count() >= 2);
      await checkPage(page, "first-send-04-paused");
      await page.click("button:has-text('Resume')");
      await page.waitForURL(/sequence=resume/);
      assert.equal(await page.locator('[data-waiting-reason="sequence_paused"]').count(), 0);

      // the dispatcher's next tick (cron, every minute) sends step 1 through a development mailbox
      let found = false;
      for (let i = 0; i < 45 && !found; i++) {
        await page.goto(`${base}/dev/outbox`);
        // (the verification email is there already: wait for the outreach one)
        found = (await page.locator("#outbox li").count()) > 0 &&
          (await page.locator("#outbox").innerText()).includes("A note from Rosa");
        if (!found) await new Promise((r) => setTimeout(r, 2_000));
      }
      assert.ok(found, `the email reached /dev/outbox\n${app.lines.slice(-20).join("\n")}`);
      assert.match(await page.locator("#outbox").innerText(), /A note from Rosa about the backend role/);
      assert.match(await page.locator("#outbox").innerText(), /@outbox\.localhost/);
      await checkPage(page, "first-send-05-outbox");

      await page.goto(applicationUrl);
      assert.match(await page.locator(".timeline").innerText(), /Sent/);
      await page.goto(`${base}/`);
      // steps 2 and 3 wait for their days: the dashboard says when each is expected
      const waiting = page.locator("[aria-labelledby=waiting-heading] li");
      assert.equal(await waiting.count(), 2);
      assert.match(
        await waiting.first().innerText(),
        /Email 2 to Luis von Ahn .*expected .*GMT\+1|Email 2 to Luis von Ahn .*expected .*CET/,
      );
      await checkPage(page, "first-send-06-dashboard");
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await browser.close();
      app.child.kill("SIGTERM");
      await app.done;
      await app.child.status;
      await dns.close();
    }
  },
});
