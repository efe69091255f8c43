/**
 * Issue 12 in Chromium (playwright-core, real pointer events), one journey per point after the first run
 * (tests/browser_first_send_test.ts): contacts (add on the job page, edit, opt-out state, CSV import with a
 * preview), the board (drag with the mouse at 1280 and 390 px, next step and salary on the cards, Move
 * offering the next stage), forms that keep what was typed (Settings, money as "180k"), local time
 * (Settings), the admin's mailboxes (add, edit, pause, delete) and the nav. Every page visited is checked
 * with axe-core at 1280 and 390 px and must not scroll sideways at 390 px; screenshots go to
 * test-artifacts/screenshots/.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { hasChromium, launchChromium } from "@/tests/helpers/browser.ts";
import { checkPage } from "@/tests/helpers/page_checks.ts";

/** A real press-move-release with the mouse from the centre of `from` to the centre of `to`. */
async function drag(page: Page, from: string, to: string) {
  await page.locator(from).scrollIntoViewIfNeeded();
  const a = (await page.locator(from).boundingBox())!;
  const b = (await page.locator(to).boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + 12);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + 20, { steps: 3 });
  await page.mouse.move(b.x + Math.min(b.width / 2, 60), b.y + 60, { steps: 8 });
  await page.mouse.up();
}

Deno.test({
  name: "[e2e] issue 12 journeys in Chromium - contacts, board drag, forms, local time, admin mailboxes",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const db = await useAppDatabase("browser_journeys");
    const server = await startTestServer({}, { sql: db.sql });
    const base = server.url;
    const [company] = await db
      .sql`insert into companies (name, domain) values ('Acme', 'acme.test') returning id`;
    const jobs = await db.sql`
      insert into jobs (source, title, company_id, comp_min, comp_max, posted_date)
      values ('test', 'Platform Engineer', ${company.id}, 150000, 180000, current_date),
             ('test', 'Data Engineer', ${company.id}, null, null, current_date)
      returning id`;
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        timezoneId: "Asia/Tokyo",
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("dialog", (d) => d.accept());

      await page.goto(`${base}/`);
      await checkPage(page, "journeys-00-landing");
      await page.goto(`${base}/login`);
      await checkPage(page, "journeys-00-login");
      await page.goto(`${base}/signup`);
      await checkPage(page, "journeys-00-signup");
      await page.fill("#full_name", "Jo Journey");
      await page.fill("#email", "jo@example.test");
      await page.fill("#password", "a-very-long-password");
      await page.click("button[type=submit]:has-text('Sign up')");
      await page.waitForURL("**/settings?welcome=1");

      await t.step("nav - reaches every section, Sequences included", async () => {
        const links = await page.locator("nav[aria-label=Main] .nav-links a").allInnerTexts();
        assert.deepEqual(links, ["Jobs", "Applications", "Sequences", "Settings", "Account"]);
      });

      await t.step(
        "forms - a failed submit keeps every value, errors sit by their fields, 180k is money",
        async () => {
          await page.fill("#locations", "Berlin, Remote");
          await page.fill("#min_salary", "lots");
          await page.fill("#max_salary", "$200,000");
          await page.click("button:has-text('Save preferences')");
          await page.waitForSelector(".error-summary");
          assert.equal(await page.evaluate(() => document.activeElement?.className), "error-summary");
          assert.equal(await page.inputValue("#locations"), "Berlin, Remote");
          assert.equal(await page.inputValue("#min_salary"), "lots");
          assert.equal(await page.inputValue("#max_salary"), "$200,000");
          assert.match(await page.locator(".error-summary").innerText(), /Min salary: enter a number/);
          assert.ok(!(await page.locator("body").innerText()).includes("Invalid input"));
          await checkPage(page, "journeys-01-settings-error");
          await page.fill("#min_salary", "180k");
          await page.fill("#skills", "Rust, Go"); // the resume form, not saved: kept across the other's save
          await page.click("button:has-text('Save preferences')");
          await page.waitForURL("**/settings?saved=preferences");
          assert.equal(await page.inputValue("#skills"), "Rust, Go");
          const resumes = await db.sql`select skills from resumes`;
          assert.ok(resumes.every((r) => r.skills.length === 0), "the resume form was not saved");
          const [prefs] = await db.sql`select min_salary, max_salary, locations from job_preferences`;
          assert.deepEqual([prefs.min_salary, prefs.max_salary], [180000, 200000]);
        },
      );

      await t.step("local time - set at signup from the browser, changed in Settings", async () => {
        const [user] = await db.sql`select timezone from users where email = 'jo@example.test'`;
        assert.equal(user.timezone, "Asia/Tokyo");
        await page.selectOption("#timezone", "America/New_York");
        await page.click("button:has-text('Save time zone')");
        await page.waitForURL("**/settings?saved=timezone");
        const [after] = await db.sql`select timezone from users where email = 'jo@example.test'`;
        assert.equal(after.timezone, "America/New_York");
      });

      let applicationId = 0;
      await t.step(
        "contacts - add on the job page, edit, see opt-out, import a CSV with a preview",
        async () => {
          await page.goto(`${base}/jobs/${jobs[0].id}`);
          assert.match(await page.locator("body").innerText(), /No contacts known at Acme yet/);
          await page.fill("#contact-full_name", "Ada Lovelace");
          await page.fill("#contact-email", "ada@acme.test");
          await page.fill("#contact-linkedin_url", "not a url");
          await page.click("button:has-text('Add contact')");
          await page.waitForSelector(".error-summary");
          assert.equal(await page.inputValue("#contact-full_name"), "Ada Lovelace");
          assert.equal(await page.getAttribute("#contact-linkedin_url", "aria-invalid"), "true");
          assert.match(
            (await page.getAttribute("#contact-linkedin_url", "aria-describedby"))!,
            /\bcontact-linkedin_url-error\b/,
          );
          await checkPage(page, "journeys-02-job-contact-error");
          await page.fill("#contact-linkedin_url", "https://www.linkedin.com/in/ada");
          await page.click("button:has-text('Add contact')");
          await page.waitForURL(/contact=added/);
          await page.click("a:has-text('Ada Lovelace')");
          await page.waitForURL(/\/contacts\/\d+$/);
          await page.fill("#edit-title", "Head of Engineering");
          await page.fill("#edit-notes", "Met at PyCon.");
          await page.click("button:has-text('Save contact')");
          await page.waitForURL(/saved=1/);
          assert.match(await page.locator("body").innerText(), /Head of Engineering/);
          await db
            .sql`update contacts set opted_out = true, opted_out_at = now() where email = 'ada@acme.test'`;
          await page.reload();
          assert.equal(await page.getAttribute("[data-reachable]", "data-reachable"), "false");
          assert.match(await page.locator("[data-reachable]").innerText(), /Opted out/);
          await checkPage(page, "journeys-03-contact");

          await page.goto(`${base}/jobs/${jobs[0].id}`);
          await page.click("button:has-text('I applied')");
          await page.waitForURL(/\/applications\/\d+$/);
          applicationId = Number(new URL(page.url()).pathname.split("/").pop());
          await page.click("summary:has-text('Import contacts')");
          await page.fill(
            "#import-csv",
            "full_name,email,title\nGrace Hopper,grace@acme.test,CTO\nAda L.,ADA@acme.test,\nNo Email,,\nGrace Again,grace@acme.test,\n",
          );
          await page.click("button:has-text('Preview the import')");
          await page.waitForSelector(".import-preview");
          const outcomes = await page.locator(".import-preview tbody tr").evaluateAll((rows) =>
            rows.map((r) => r.getAttribute("data-outcome"))
          );
          assert.deepEqual(outcomes, ["create", "merge", "reject", "merge"]);
          assert.equal(
            (await db.sql`select count(*)::int as n from contacts`)[0].n,
            1,
            "the preview writes nothing",
          );
          await checkPage(page, "journeys-04-import-preview");
          await page.click("button:has-text('Import 1 contact')");
          await page.waitForURL(/imported=1/);
          assert.equal((await db.sql`select count(*)::int as n from contacts`)[0].n, 2);
        },
      );

      await t.step(
        "board - drag with the mouse and with a finger, next step and salary on cards, Move offers the next stage",
        async () => {
          await page.goto(`${base}/jobs/${jobs[1].id}`);
          await page.click("button:has-text('Save')");
          await page.waitForURL(/\/applications\/\d+$/);
          const savedId = Number(new URL(page.url()).pathname.split("/").pop());
          await page.fill("#at", "2031-03-04T10:30");
          await page.fill("#kind", "phone screen");
          await page.click("button:has-text('Add interview')");
          await page.waitForURL(/saved=1/);
          const [app] = await db.sql`select interview_dates from applications where id = ${savedId}`;
          assert.equal(app.interview_dates[0].at, "2031-03-04T15:30:00Z", "entered in New York time");

          await page.goto(`${base}/applications`);
          await page.waitForSelector("html[data-frsh-hydrated]");
          const card = `li[data-id="${applicationId}"]`;
          assert.match(await page.locator(card).innerText(), /\$150k – \$180k|150,000|150k/);
          assert.match(
            await page.locator(`li[data-id="${savedId}"]`).innerText(),
            /Next: interview \(phone screen\)/,
          );
          assert.match(await page.locator(`li[data-id="${savedId}"]`).innerText(), /Mar 4, 2031, 10:30/);
          assert.equal(await page.inputValue(`#move-${savedId}`), "applied");
          assert.equal(await page.locator("[draggable='']").count(), 0);
          await checkPage(page, "journeys-05-board");

          await drag(page, `#column-applied ${card}`, "#column-interviewing");
          await page.waitForSelector(`#column-interviewing ${card}`);
          assert.match(
            await page.locator("[role=status]").first().innerText(),
            /Moved Platform Engineer to Interviewing/,
          );
          assert.equal(
            (await db.sql`select status from applications where id = ${applicationId}`)[0].status,
            "interviewing",
          );

          await page.setViewportSize({ width: 390, height: 844 });
          await page.reload();
          await page.waitForSelector("html[data-frsh-hydrated]");
          const widths = await page.evaluate(() => ({
            doc: document.documentElement.scrollWidth,
            board: document.querySelector(".board")!.scrollWidth,
            boardBox: document.querySelector(".board")!.clientWidth,
          }));
          assert.ok(widths.doc <= 390, `page ${widths.doc}`);
          assert.ok(widths.board > widths.boardBox, "the columns scroll inside the board");
          await drag(page, `#column-saved li[data-id="${savedId}"]`, "#column-applied");
          await page.waitForSelector(`#column-applied li[data-id="${savedId}"]`);
          await page.setViewportSize({ width: 1280, height: 900 });

          // a finger on a phone: touch events (Chromium turns them into pointer events) on the card's handle
          const phone = await browser.newContext({
            storageState: await context.storageState(),
            viewport: { width: 390, height: 844 },
            hasTouch: true,
            isMobile: true,
          });
          const touchPage = await phone.newPage();
          await touchPage.goto(`${base}/applications`);
          await touchPage.waitForSelector("html[data-frsh-hydrated]");
          // the card is in Applied (the second column): scroll the board so its handle shows, then drag it
          // back to Saved (one stage back), whose right part is still on screen
          await touchPage.evaluate(() => (document.querySelector(".board")!.scrollLeft = 120));
          const handle = (await touchPage.locator(`li[data-id="${savedId}"] .drag-handle`).boundingBox())!;
          const target = (await touchPage.locator("#column-saved").boundingBox())!;
          assert.ok(
            handle.x + handle.width < 390 && target.x + target.width > 40,
            JSON.stringify({ handle, target }),
          );
          const cdp = await phone.newCDPSession(touchPage);
          const at = (x: number, y: number) => [{ x: Math.round(x), y: Math.round(y) }];
          const [hx, hy] = [handle.x + handle.width / 2, handle.y + handle.height / 2];
          const [tx, ty] = [Math.max(target.x + target.width - 30, 30), target.y + 80];
          await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(hx, hy) });
          for (let i = 1; i <= 8; i++) {
            await cdp.send("Input.dispatchTouchEvent", {
              type: "touchMove",
              touchPoints: at(hx + ((tx - hx) * i) / 8, hy + ((ty - hy) * i) / 8),
            });
          }
          await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
          await touchPage.waitForSelector(`#column-saved li[data-id="${savedId}"]`);
          assert.equal(
            (await db.sql`select status from applications where id = ${savedId}`)[0].status,
            "saved",
          );
          await phone.close();
        },
      );

      await t.step("pages fit 390 px and pass axe: dashboard, jobs, sequences, application", async () => {
        for (
          const [name, path] of [
            ["journeys-06-dashboard", "/"],
            ["journeys-07-jobs", "/jobs"],
            ["journeys-08-sequences", "/sequences"],
            ["journeys-09-application", `/applications/${applicationId}`],
          ]
        ) {
          await page.goto(base + path);
          await checkPage(page, name);
        }
        await page.click("button:has-text('Delete this application')");
        await page.waitForURL(/\/applications$/);
        assert.equal(
          (await db.sql`select count(*)::int as n from applications where id = ${applicationId}`)[0].n,
          0,
        );
      });

      await t.step("sequence editor - warns before leaving with unsaved edits", async () => {
        const [platform] = await db
          .sql`select id from sequence_templates where is_platform order by id limit 1`;
        await page.goto(`${base}/sequences/${platform.id}`);
        await page.waitForSelector("html[data-frsh-hydrated]");
        await page.click(".sequence-editor button:has-text('Copy to my sequences')");
        await page.waitForURL((u) => !u.pathname.endsWith(`/${platform.id}`));
        await page.waitForSelector("html[data-frsh-hydrated]");
        assert.equal(await page.getAttribute("#seq-name", "type"), "text");
        await checkPage(page, "journeys-14-sequence-editor");
        // A real click first: Chromium shows a beforeunload prompt only after the user interacted with the page.
        await page.click("#seq-name");
        await page.fill("#seq-name", "My own sequence");
        await page.waitForSelector("[data-unsaved]");
        const kinds: string[] = [];
        const seen = (d: { type(): string }) => kinds.push(d.type());
        page.on("dialog", seen);
        await page.goto(`${base}/`);
        page.off("dialog", seen);
        assert.deepEqual(kinds, ["beforeunload"]);
      });

      await t.step(
        "admin mailboxes - add, edit the cap, pause and resume, delete one that never sent",
        async () => {
          await page.goto(`${base}/admin/mailboxes`);
          await page.fill("#token", TEST_ENV.ROLEFERRY_ADMIN_TOKEN);
          await page.click("button:has-text('Sign in')");
          await page.waitForURL("**/admin/mailboxes");
          assert.match(await page.locator("#sending-status").innerText(), /No mailbox/);
          await checkPage(page, "journeys-10-admin-empty");
          await page.click("a:has-text('Add a mailbox')");
          await page.fill("#email", "jo@send.acme.test");
          await page.fill("#smtp_host", "smtp.acme.test");
          await page.fill("#smtp_username", "jo");
          await page.fill("#daily_cap", "lots");
          await page.click("button:has-text('Add mailbox')");
          await page.waitForSelector(".error-summary");
          assert.equal(await page.inputValue("#email"), "jo@send.acme.test");
          await checkPage(page, "journeys-11-admin-new-error");
          await page.fill("#daily_cap", "120");
          await page.fill("#smtp_password", "app-password");
          await page.click("button:has-text('Add mailbox')");
          await page.waitForURL(/\/admin\/mailboxes\/\d+\?created=1/);
          await page.fill("#daily_cap", "80");
          await page.click("button:has-text('Save')");
          await page.waitForURL(/saved=1/);
          await page.click("button:has-text('Pause sending')");
          await page.waitForURL(/saved=pause/);
          assert.equal(await page.getAttribute("[data-mailbox-status]", "data-mailbox-status"), "paused");
          await checkPage(page, "journeys-12-admin-mailbox");
          await page.click("button:has-text('Resume sending')");
          await page.waitForURL(/saved=resume/);
          const [m] = await db.sql`select daily_cap, status from mailboxes where email = 'jo@send.acme.test'`;
          assert.deepEqual([m.daily_cap, m.status], [80, "active"]);
          await page.goto(`${base}/admin/mailboxes`);
          assert.match(await page.locator("#sending-status").innerText(), /1 of 1 mailboxes can send now/);
          await checkPage(page, "journeys-13-admin");
          await page.click("a:has-text('jo@send.acme.test')");
          await page.click("button:has-text('Delete this mailbox')");
          await page.waitForURL(/deleted=1/);
          assert.equal((await db.sql`select count(*)::int as n from mailboxes`)[0].n, 0);
        },
      );

      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
