/**
 * The job seeker's journey in real headless Chromium (Debian's, driven by playwright-core): sign up, set
 * skills, search, save a job, move it to interviewing on the board without a reload using the keyboard, then
 * to offer by dragging it.
 * A screenshot of each page is kept under test-artifacts/screenshots/ (gitignored).
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { hasChromium, launchChromium } from "@/tests/helpers/browser.ts";

const SHOTS = new URL("../test-artifacts/screenshots/", import.meta.url);

Deno.test({
  name:
    "[e2e] job seeker journey in Chromium - sign up, skills, search, save, keyboard move to interviewing, drag to offer",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await Deno.mkdir(SHOTS, { recursive: true });
    const db = await useAppDatabase("browser_product");
    const server = await startTestServer({}, { sql: db.sql });
    const browser = await launchChromium();
    try {
      const imported = await api(server.url, "POST", "/api/admin/jobs/import", {
        headers: { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` },
        body: {
          jobs: [
            {
              external_id: "web-1",
              source: "test",
              title: "Senior Backend Engineer",
              description: "Python, PostgreSQL and Kubernetes on AWS.",
              company: {
                name: "Acme Robotics",
                domain: "acme-robotics.test",
                industry: "Robotics",
                size: "51-200",
              },
              location: "Berlin",
              remote: true,
              comp_min: 110000,
              comp_max: 140000,
              posted_date: "2026-11-20",
            },
            {
              external_id: "web-2",
              source: "test",
              title: "Product Designer",
              description: "Figma and user research.",
              company: { name: "Globex", domain: "globex.test" },
              posted_date: "2026-11-21",
            },
          ],
        },
      });
      assert.equal(imported.body.inserted, 2);

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      const shot = (name: string) =>
        page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true });

      await page.goto(server.url + "/");
      assert.equal(await page.locator("h1").innerText(), "Land the job by reaching the people behind it.");
      await shot("01-landing");

      await page.click("text=Create a free account");
      await page.waitForURL("**/signup");
      await page.fill("#full_name", "Rosa Browser");
      await page.fill("#email", "rosa@example.test");
      await page.fill("#password", "a-very-long-password");
      await shot("02-signup");
      await page.click("button[type=submit]:has-text('Sign up')");
      await page.waitForURL("**/settings?welcome=1");

      await page.fill("#skills", "Python, PostgreSQL, AWS");
      await shot("03-settings");
      await page.click("text=Save resume");
      await page.waitForURL("**/settings?saved=resume");
      assert.match(await page.locator("[role=status]").innerText(), /Saved your resume/);

      await page.click("nav >> text=Jobs");
      await page.fill("#q", "backend");
      await page.click("button:has-text('Search')");
      await page.waitForURL("**/jobs?q=backend**");
      const results = page.locator(".job-item");
      assert.equal(await results.count(), 1);
      assert.match(
        await results.first().locator(".badge").innerText(),
        /^\d+ · (excellent|strong|fair|low)$/,
      );
      await shot("04-jobs");

      await page.click("text=Senior Backend Engineer");
      await page.waitForURL(/\/jobs\/\d+$/);
      assert.match(await page.locator(".reasons").innerText(), /3 of 4 required skills: missing Kubernetes/);
      await shot("05-job");
      await page.click("button:has-text('Save')");
      await page.waitForURL(/\/applications\/\d+$/);
      const applicationId = Number(new URL(page.url()).pathname.split("/").pop());
      assert.match(await page.locator(".status").first().innerText(), /^saved$/i);
      await shot("06-application");

      await page.click("nav >> text=Applications");
      await page.waitForSelector("html[data-frsh-hydrated]");
      await page.evaluate(() => ((globalThis as unknown as { __noReload: boolean }).__noReload = true));
      const card = page.locator(`#column-saved li[data-id="${applicationId}"]`);
      assert.equal(await card.count(), 1);
      await shot("07-board-before");

      // keyboard only: focus the card's "Move to" select, choose, Tab to its button, Enter
      await page.focus(`#move-${applicationId}`);
      await page.selectOption(`#move-${applicationId}`, "interviewing");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.waitForSelector(`#column-interviewing li[data-id="${applicationId}"]`);
      assert.match(
        await page.locator("[role=status]").innerText(),
        /Moved Senior Backend Engineer to Interviewing/,
      );
      assert.equal(
        await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload),
        true,
      );
      await shot("08-board-after");

      // with the mouse: drag the card onto the Offer column
      await page.dragAndDrop(`#column-interviewing li[data-id="${applicationId}"]`, "#column-offer");
      await page.waitForSelector(`#column-offer li[data-id="${applicationId}"]`);
      assert.match(await page.locator("[role=status]").innerText(), /Moved Senior Backend Engineer to Offer/);

      const [row] = await db.sql`select status from applications where id = ${applicationId}`;
      assert.equal(row.status, "offer");
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await browser.close();
      await server.close();
      await db.drop();
    }
  },
});
