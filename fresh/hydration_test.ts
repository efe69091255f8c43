import assert from "node:assert/strict";
import { hasChromium, launchChromium } from "@/tests/helpers/browser.ts";
import { serveFixture } from "@/fresh/testdata/serve.ts";

Deno.test({
  name: "hydration - a counter island increments on click after hydration in Chromium",
  ignore: !hasChromium(),
  // playwright keeps a pipe to the browser process between its own async steps.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await serveFixture();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
      page.on("console", (msg) => {
        const text = msg.text();
        if (
          (msg.type() === "error" || msg.type() === "warning") && !text.startsWith("Failed to load resource")
        ) {
          problems.push(`${msg.type()}: ${text}`);
        }
      });
      page.on("response", (r) => {
        if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()} ${r.url()}`);
      });
      const res = await page.goto(`${server.base}/counter`);
      assert.equal(res?.status(), 200);
      assert.equal(res?.headers()["content-type"], "text/html; charset=utf-8");
      await page.waitForSelector("html[data-frsh-hydrated]", { timeout: 10_000 });
      assert.equal(await page.textContent("#count"), "3");
      assert.equal(await page.textContent("#label"), "</script><!--x\u2028y");
      assert.equal(await page.textContent("#since"), "2026-01-02T03:04:05.000Z");
      await page.click("#inc");
      await page.waitForFunction(() => document.querySelector("#count")?.textContent === "4");
      await page.click("#inc");
      await page.waitForFunction(() => document.querySelector("#count")?.textContent === "5");
      // The island was hydrated in place, not rendered a second time beside the server markup.
      assert.equal(await page.locator(".counter").count(), 1);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
