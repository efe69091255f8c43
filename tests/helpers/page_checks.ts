/**
 * Checks every browser journey runs on each page it visits: axe-core (its
 * own source injected into the page, so no network is needed) reports no
 * violation, and at phone width nothing is wider than the screen. Screenshots
 * go to test-artifacts/screenshots/ (gitignored).
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
let axeSource: string | undefined; // memo: pure function of its key (axe-core's file, read once)

export const SHOTS = new URL("../../test-artifacts/screenshots/", import.meta.url);

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations on the page as it is now (WCAG 2 A and AA rules, and best practices). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await Deno.readTextFile(require.resolve("axe-core/axe.min.js"));
  // evaluated through the DevTools protocol, not a <script>: the page's CSP (script-src 'self') stays as it is
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(axeSource);
  return await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const axe = (globalThis as any).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    // deno-lint-ignore no-explicit-any
    return result.violations.map((v: any) => ({
      id: v.id,
      help: v.help,
      // deno-lint-ignore no-explicit-any
      nodes: v.nodes.map((n: any) => ({ target: n.target })),
    }));
  });
}

/** Fails with the rules and elements when axe finds anything. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.deepEqual(
    violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    [],
    `axe-core on ${what}`,
  );
}

/** At the viewport's width, the document does not scroll sideways. */
export async function assertFitsWidth(page: Page, what: string): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: globalThis.innerWidth,
  }));
  assert.ok(scroll <= width, `${what}: scrollWidth ${scroll} > ${width}`);
}

/**
 * The page at 1280 and 390 px: a screenshot of each, axe at both, and the
 * width check at 390; the viewport is put back to `restore` afterwards.
 */
export async function checkPage(
  page: Page,
  name: string,
  restore = { width: 1280, height: 900 },
): Promise<void> {
  await Deno.mkdir(SHOTS, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: new URL(`${name}-${width}.png`, SHOTS).pathname, fullPage: true });
    if (width === 390) await assertFitsWidth(page, `${name} at 390 px`);
    await assertAccessible(page, `${name} at ${width} px`);
  }
  await page.setViewportSize(restore);
}
