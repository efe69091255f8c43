/**
 * Issue 17 in Chromium: a user compares two subject lines on a real sequence's results page (funnel chart,
 * reply rates with their intervals, the verdict) and opens the live page a contact would get. Every page at
 * 1280 and 390 px with axe-core, no sideways scrolling at 390 px, and no script needed (the pages are
 * checked with JavaScript disabled too).
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { createContacts } from "@/tests/helpers/outreach_fixtures.ts";
import { hasChromium, launchChromium } from "@/tests/helpers/browser.ts";
import { checkPage } from "@/tests/helpers/page_checks.ts";

Deno.test({
  name: "[e2e] campaigns in Chromium - the A/B results page and a live page, at 1280 and 390 px",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await useAppDatabase("browser_campaigns");
    const sql = db.sql;
    const server = await startTestServer({}, { sql: db.sql });
    const owner = await createUserWithToken(server.url, { full_name: "Grace Hopper" });
    await sql`update users set email_verified = true where id = ${owner.user.id}`;
    const [company] = await sql<{ id: number }[]>`
      insert into companies (name, domain) values ('Chart Co', 'chart.example') returning id`;
    const [job] = await sql<{ id: number }[]>`
      insert into jobs (source, title, company_id) values ('test', 'Compiler Engineer', ${company.id}) returning id`;
    const [application] = await sql<{ id: number }[]>`
      insert into applications (user_id, job_id, status)
      values (${owner.user.id}, ${job.id}, 'applied') returning id`;
    const sequence = await api(server.url, "POST", "/api/sequences", {
      token: owner.token,
      body: {
        name: "Two subjects",
        steps: [{
          step_no: 1,
          delay_hours: 0,
          subject: "unused",
          body: "unused",
          variants: [
            { key: "A", subject: "Quick question", body: "Hello" },
            { key: "B", subject: "{{role}} at {{company}}?", body: "Hello" },
          ],
        }],
      },
    });
    assert.equal(sequence.status, 201);
    const [contact] = await createContacts(sql, company.id, 1);
    // 200 sends per variant over the last days; B gets 30 replies, A 10 (p ≈ 0.0017): a declared winner.
    await sql`
      insert into outreach (application_id, contact_id, sequence_template_id, step_no, variant, subject, body,
                            from_mailbox, status, queued_at, sent_at, delivered_at, opened_at, replied_at)
      select ${application.id}::int, ${contact}::int, ${sequence.body.id}::int, 1, v, 's', 'b', '', 'delivered',
             now() - (i % 6) * interval '1 day', now(), now(), case when i % 3 = 0 then now() end,
             case when (v = 'B' and i <= 30) or (v = 'A' and i <= 10) then now() end
      from unnest(array['A', 'B']) as v, generate_series(1, 200) as i`;
    const browser = await launchChromium();
    try {
      for (const javaScriptEnabled of [true, false]) {
        const context = await browser.newContext({
          viewport: { width: 1280, height: 900 },
          javaScriptEnabled,
        });
        await context.addCookies([{
          name: "rf_session",
          value: owner.cookie.split("=")[1],
          url: server.url,
        }]);
        const page = await context.newPage();
        await page.goto(`${server.url}/sequences/${sequence.body.id}/funnel?window=all`);
        const text = await page.locator("main").innerText();
        assert.match(text, /Variant B gets more replies \(p = 0\.00\d+\)/);
        assert.match(text, /Variant A: 5\.0% of 200 sent/);
        assert.match(text, /Variant B: 15\.0% of 200 sent/);
        assert.equal(await page.locator("svg[role=img]").count(), 2, "the funnel and the replies chart");
        if (javaScriptEnabled) {
          await checkPage(page, "campaigns-funnel");
          // The window links work with a real click.
          await page.getByRole("link", { name: "7 days" }).click();
          await page.waitForURL(/window=7d/);
          assert.equal(await page.getByRole("link", { name: "7 days" }).getAttribute("aria-current"), "page");
        }
        if (javaScriptEnabled) {
          // The editor: each variant with its own live preview; a third variant added and saved.
          await page.goto(`${server.url}/sequences/${sequence.body.id}`);
          await page.waitForSelector("html[data-frsh-hydrated]");
          const previewB = page.locator('[aria-label="Preview of step 1, variant B"]');
          assert.match(await previewB.innerText(), /Compiler Engineer at Chart Co\?/);
          await page.getByRole("button", { name: "Add a variant" }).click();
          await page.getByLabel("Subject (C)").fill("A compiler question for {{first_name}}");
          assert.match(
            await page.locator('[aria-label="Preview of step 1, variant C"]').innerText(),
            /A compiler question for Contact/,
          );
          await page.getByLabel("Send new contacts the winning variant once a winner is declared").check();
          await checkPage(page, "campaigns-editor-variants");
          await page.click("#save-sequence");
          await page.waitForSelector(".notice-ok");
          const [saved] = await sql<{ steps: { variants: { key: string }[] }[]; auto_promote: boolean }[]>`
            select steps, auto_promote from sequence_templates where id = ${sequence.body.id}`;
          assert.deepEqual(saved.steps[0].variants.map((v) => v.key), ["A", "B", "C"]);
          assert.equal(saved.auto_promote, true);

          // The live page, made in the browser: from the application, a link with a bad URL first.
          await page.goto(`${server.url}/applications/${application.id}`);
          await page.getByRole("link", { name: "Your live page for this job" }).click();
          await page.getByLabel("Headline").fill("Compilers I'd bring to Chart Co");
          await page.getByLabel("Your pitch").fill("I write compilers that people can debug.");
          await page.getByLabel("Links").fill("Portfolio | javascript:alert(1)");
          await page.getByRole("button", { name: "Create the page" }).click();
          assert.match(await page.locator(".error-summary").innerText(), /line 1/);
          assert.equal(await page.getByLabel("Links").getAttribute("aria-invalid"), "true");
          assert.equal(
            await page.getByLabel("Your pitch").inputValue(),
            "I write compilers that people can debug.",
          );
          await checkPage(page, "campaigns-live-page-form-error");
          await page.getByLabel("Links").fill("Portfolio | https://portfolio.example/grace");
          await page.getByRole("button", { name: "Create the page" }).click();
          await page.waitForURL(/saved=1/);
          await checkPage(page, "campaigns-live-page-settings");
          const href = (await page.locator("a[href*='/p/']").first().getAttribute("href"))!;
          const publicPath = new URL(href).pathname;
          await page.goto(`${server.url}${publicPath}`);
          assert.match(await page.locator("h1").innerText(), /Compilers I.d bring to Chart Co/);
          await checkPage(page, "campaigns-live-page");
          await page.goBack();
          await page.getByRole("button", { name: "Turn the page off now" }).click();
          await page.waitForURL(/disabled=1/);
          const gone = await page.request.get(`${server.url}${publicPath}`);
          assert.equal(gone.status(), 410);
        }
        await context.close();
      }
    } finally {
      await browser.close();
      await server.close();
      await db.drop();
    }
  },
});
