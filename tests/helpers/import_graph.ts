/**
 * The import graph of the app and its layer table (docs/development.md, "Layers"), for
 * tests/import_rules_test.ts. Kept apart from the test so the rules themselves can be tested on made-up
 * imports (a back-arrow must fail).
 */
import { dirname, join, normalize } from "node:path";

export type Layer =
  | "core"
  | "db"
  | "services"
  | "web"
  | "components"
  | "islands"
  | "routes"
  | "jobs"
  | "app"
  | "fresh"
  | "config"
  | "tests"
  | "tools";

/** Which layer a module (path relative to the repository root) belongs to. */
export function layerOf(file: string): Layer | undefined {
  if (/_test\.tsx?$/.test(file) || /^(tests|fresh\/testdata)\//.test(file)) return "tests";
  if (file === "fresh.config.ts") return "config";
  if (file === "main.ts") return "app";
  const top = file.split("/")[0];
  if (top === "scripts" || top === "bench") return "tools";
  const layers: Layer[] = [
    "core",
    "db",
    "services",
    "web",
    "components",
    "islands",
    "routes",
    "jobs",
    "app",
    "fresh",
  ];
  return layers.find((l) => l === top);
}

/**
 * What each layer may import (at run time). `config` is fresh.config.ts: loading the configuration from the
 * environment, pure apart from reading it. Lower layers never import higher ones.
 */
const MAY_IMPORT: Record<Layer, Layer[]> = {
  fresh: ["fresh"],
  config: ["config", "core"],
  core: ["core"],
  db: ["db", "core", "config"],
  services: ["services", "db", "core", "config"],
  web: ["web", "services", "db", "core", "config", "fresh", "components"],
  components: ["components", "core", "fresh"],
  islands: ["islands", "components", "core", "fresh"],
  // routes/api/admin/cron runs a job now: the registry is what it calls.
  routes: ["routes", "web", "services", "db", "core", "config", "fresh", "components", "islands", "jobs"],
  jobs: ["jobs", "services", "db", "core", "config"],
  app: ["app", "jobs", "web", "services", "db", "core", "config", "fresh"],
  tests: [
    "tests",
    "tools",
    "app",
    "jobs",
    "routes",
    "islands",
    "components",
    "web",
    "services",
    "db",
    "core",
    "config",
    "fresh",
  ],
  // the benchmarks reuse the tests' fakes of outside services (DNS, remote SMTP)
  tools: ["tools", "tests", "app", "jobs", "web", "services", "db", "core", "config", "fresh"],
};

/**
 * Type-only imports that may point up: components describe what they show with the row types of db/ and
 * services/ and the request state of web/ (types vanish at run time, so no module is loaded).
 */
const MAY_IMPORT_TYPES: Partial<Record<Layer, Layer[]>> = {
  components: ["db", "services", "web"],
  islands: ["db", "services", "web"],
};

export interface Import {
  /** Path of the imported module, relative to the repository root. */
  target: string;
  line: number;
  /** `import type {...}` / `export type {...}`: no module is loaded at run time. */
  typeOnly: boolean;
}

const IMPORT_RE =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[\w*\s{},$]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** The local imports of `file` (static, re-exports and dynamic with a literal), resolved to repository paths. */
export function parseImports(file: string, text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[3] ?? m[4];
    let target: string | undefined;
    if (spec.startsWith("@/")) target = normalize(spec.slice(2));
    else if (spec.startsWith("./") || spec.startsWith("../")) target = normalize(join(dirname(file), spec));
    if (!target) continue;
    const line = text.slice(0, m.index! + m[0].length).split("\n").length;
    out.push({ target, line, typeOnly: Boolean(m[2]) });
  }
  return out;
}

/** Why `file` may not import `imp`, or undefined when it may. */
export function judge(file: string, imp: Import): string | undefined {
  const from = layerOf(file);
  const to = layerOf(imp.target);
  if (!from || !to) return `no layer for ${!from ? file : imp.target}`;
  if (MAY_IMPORT[from].includes(to)) return undefined;
  if (imp.typeOnly && MAY_IMPORT_TYPES[from]?.includes(to)) return undefined;
  return `${from} may not import ${to}${imp.typeOnly ? " (even a type)" : ""}`;
}

/** Every elementary cycle found by a depth-first search, each reported once from its smallest member. */
export function findCycles(edges: Map<string, string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(canonical.join("|"), [...canonical, canonical[0]]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}
