/**
 * The layer rules of docs/development.md, checked on the real import graph: every `.ts`/`.tsx` module of the
 * app is read, its local imports resolved (`@/` and relative), and each import judged against the layer
 * table. A back-arrow (a lower layer importing a higher one) or a cycle fails the test with the file, the line
 * and the rule.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { findCycles, judge, layerOf, parseImports } from "./helpers/import_graph.ts";

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), ".."));
const SKIP = /^(node_modules|\.data|static\/build|test-artifacts|\.git)\//;

async function appModules(): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string) {
    for await (const entry of Deno.readDir(join(ROOT, dir))) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (SKIP.test(rel + "/")) continue;
      if (entry.isDirectory) await walk(rel);
      else if (/\.(ts|tsx)$/.test(entry.name)) out.push(rel);
    }
  }
  await walk("");
  return out.sort();
}

async function graph() {
  const files = await appModules();
  const known = new Set(files);
  const edges = new Map<string, ReturnType<typeof parseImports>>();
  for (const file of files) {
    const text = await Deno.readTextFile(join(ROOT, file));
    edges.set(file, parseImports(file, text).filter((i) => known.has(i.target)));
  }
  return { files, edges };
}

Deno.test("import rules - every import of the app follows the layer table", async () => {
  const { edges } = await graph();
  const broken: string[] = [];
  for (const [file, imports] of edges) {
    for (const imp of imports) {
      const why = judge(file, imp);
      if (why) broken.push(`${file}:${imp.line} imports ${imp.target}: ${why}`);
    }
  }
  assert.deepEqual(broken, [], `\n${broken.join("\n")}`);
});

Deno.test("import rules - no import cycle outside tests", async () => {
  const { edges } = await graph();
  const runtime = new Map(
    [...edges].filter(([file]) => layerOf(file) !== "tests").map((
      [file, imports],
    ) => [file, imports.filter((i) => !i.typeOnly && layerOf(i.target) !== "tests").map((i) => i.target)]),
  );
  const cycles = findCycles(runtime);
  assert.deepEqual(cycles.map((c) => c.join(" → ")), []);
});

Deno.test("import rules - every module has a layer", async () => {
  const { files } = await graph();
  const homeless = files.filter((f) => layerOf(f) === undefined);
  assert.deepEqual(homeless, [], `modules outside the layer table: ${homeless.join(", ")}`);
});
