/**
 * "No module outside the composition root holds mutable state" (docs/development.md), checked on the
 * source: a top-level `let`/`var`, or a top-level Map/Set/WeakMap that the module may write to, is state that
 * two app contexts in one process would share. Memo caches of pure functions are allowed when they say so with
 * a `// memo:` comment on the line above. `app/`, `main.ts`, scripts, benchmarks and tests are exempt.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { layerOf } from "./helpers/import_graph.ts";

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), ".."));
const SKIP = /^(node_modules|\.data|static\/build|test-artifacts|\.git)\//;
const EXEMPT = new Set(["app", "tests", "tools", undefined]);

/** Top-level declarations that hold state, with the line that says why not (a `// memo:` comment). */
export function mutableModuleState(text: string): { line: number; code: string }[] {
  const lines = text.split("\n");
  const found: { line: number; code: string }[] = [];
  /**
   * A top-level collection is state when the module may write to it: any use other than a read
   * (`.get`, `.has`, `.size`, iteration) counts, passing it to another function included.
   */
  const written = (name: string) => {
    const uses = [...text.matchAll(new RegExp(`\\b${name}\\b(.{0,12})`, "g"))].slice(1);
    return uses.some((m) =>
      !/^(\?)?\.(get|has|size|keys|values|entries|forEach|includes|indexOf|length)\b/.test(m[1])
    );
  };
  lines.forEach((code, i) => {
    const collection =
      /^(?:export\s+)?const\s+(\w+)(?:\s*:\s*[^=]+)?\s*=\s*new\s+(?:Map|Set|WeakMap|WeakSet)\b/.exec(
        code,
      );
    const stateful = /^(export\s+)?(let|var)\s/.test(code) || (collection !== null && written(collection[1]));
    if (!stateful) return;
    if (/^\s*\/\/\s*memo:/.test(lines[i - 1] ?? "") || /\/\/\s*memo:/.test(code)) return;
    found.push({ line: i + 1, code: code.trim() });
  });
  return found;
}

Deno.test("module state - mutableModuleState finds let, var and written collections; memo comments excuse", () => {
  const text = [
    "let counter = 0;",
    "export let sql = connect();",
    "const seen = new Set<string>();",
    "// memo: pure function of its key",
    "const formatters = new Map<string, Intl.DateTimeFormat>();",
    "const SAFE = new Set(['GET']);",
    "let queue: string[] = [];",
    "  let inner = 1;",
    "const LIMIT = 5;",
    "function f(x: string) { seen.add(x); queue.push(x); formatters.set(x, new Intl.DateTimeFormat()); }",
    "const cache = new Map<string, number>();",
    "const read = (k: string) => SAFE.has(k) && memo(cache, k, () => 1);",
  ].join("\n");
  assert.deepEqual(mutableModuleState(text).map((f) => f.line), [1, 2, 3, 7, 11]);
});

Deno.test("module state - none outside the composition root", async () => {
  const found: string[] = [];
  async function walk(dir: string) {
    for await (const entry of Deno.readDir(join(ROOT, dir))) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (SKIP.test(rel + "/")) continue;
      if (entry.isDirectory) await walk(rel);
      else if (/\.(ts|tsx)$/.test(entry.name) && !EXEMPT.has(layerOf(rel))) {
        for (const f of mutableModuleState(await Deno.readTextFile(join(ROOT, rel)))) {
          found.push(`${rel}:${f.line} ${f.code}`);
        }
      }
    }
  }
  await walk("");
  assert.deepEqual(found.sort(), [], `\n${found.join("\n")}`);
});
