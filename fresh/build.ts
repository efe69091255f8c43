/**
 * Bundling of the client side: the boot script and one entry per island, built by esbuild into
 * content-hashed ES modules with shared code (preact) split into common chunks, plus a `manifest.json`.
 * esbuild is imported dynamically and only here, so a server that finds a fresh build (Deno Deploy,
 * which cannot spawn esbuild's binary) never loads it.
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Metafile, OutputFile, Plugin } from "esbuild";
import { findIslandFiles, type IslandFile } from "./crawl.ts";

/** Bumped when the build's options or output layout change, so older builds count as stale. */
const BUILD_VERSION = 1;
const MANIFEST = "manifest.json";

/** What a build wrote to its `outDir`; file names are relative to it. */
export interface BuildManifest {
  version: number;
  /** The boot module's file name. */
  boot: string;
  /** Island name → file name of its entry module. */
  islands: Record<string, string>;
  /** File name → the chunks it imports statically, transitively (for `<link rel="modulepreload">`). */
  imports: Record<string, string[]>;
  /** Every file written, entries and chunks. */
  files: string[];
  /** Source inputs (outside node_modules), relative to the islands folder's parent → SHA-256. */
  inputs: Record<string, string>;
}

/** Absolute path of the client boot module, the first entry point of every build. */
export const BOOT_ENTRY: string = fileURLToPath(new URL("./client/boot.ts", import.meta.url));

/**
 * Bundles the boot script and every island of `islandsDir` into `outDir` and writes its manifest.
 * Called by `deno task build` ahead of deploy, or by `createApp` at start when the build is missing or
 * stale. Files of the previous build that are no longer used are removed.
 */
export async function buildIslands(opts: { islandsDir: string; outDir: string }): Promise<BuildManifest> {
  const islands = await findIslandFiles(opts.islandsDir);
  const root = dirname(opts.islandsDir);
  const esbuild = await import("esbuild");
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [{ in: BOOT_ENTRY, out: "boot" }, ...islands.map((i) => ({ in: i.file, out: i.name }))],
      outdir: opts.outDir,
      bundle: true,
      format: "esm",
      splitting: true,
      minify: true,
      target: "es2022",
      platform: "browser",
      jsx: "automatic",
      jsxImportSource: "preact",
      entryNames: "[name]-[hash]",
      chunkNames: "chunk-[hash]",
      define: { "process.env.NODE_ENV": '"production"' },
      metafile: true,
      write: false,
      logLevel: "silent",
      plugins: [npmSpecifiers, await localImportMap(root)],
    });
    const manifest = await manifestOf(result.metafile, root, opts.outDir, islands);
    await writeOutput(opts.outDir, result.outputFiles, manifest);
    return manifest;
  } finally {
    await esbuild.stop();
  }
}

/** Reads the manifest of a build, or `null` when there is none (or it is unreadable). */
export async function readManifest(outDir: string): Promise<BuildManifest | null> {
  try {
    return JSON.parse(await Deno.readTextFile(join(outDir, MANIFEST)));
  } catch {
    return null;
  }
}

/**
 * Whether a build no longer matches the sources: another island set, a changed input file (by content,
 * so a fresh git checkout with new mtimes is not stale), a missing output file or an older build version.
 */
export async function isStale(manifest: BuildManifest, opts: { islandsDir: string; outDir: string }) {
  if (manifest.version !== BUILD_VERSION) return true;
  const islands = await findIslandFiles(opts.islandsDir);
  const names = islands.map((i) => i.name).sort().join(",");
  if (names !== Object.keys(manifest.islands).sort().join(",")) return true;
  const root = dirname(opts.islandsDir);
  for (const [rel, hash] of Object.entries(manifest.inputs)) {
    const now = await hashFile(resolve(root, rel)).catch(() => null);
    if (now !== hash) return true;
  }
  for (const file of manifest.files) {
    if (!(await Deno.stat(join(opts.outDir, file)).then((s) => s.isFile, () => false))) return true;
  }
  return false;
}

async function manifestOf(
  meta: Metafile,
  root: string,
  outDir: string,
  islands: IslandFile[],
): Promise<BuildManifest> {
  const byEntry = new Map<string, string>();
  const direct: Record<string, string[]> = {};
  for (const [outPath, out] of Object.entries(meta.outputs)) {
    const file = relative(outDir, resolve(root, outPath));
    if (out.entryPoint) byEntry.set(resolve(root, out.entryPoint), file);
    direct[file] = out.imports
      .filter((i) => i.kind === "import-statement" && !i.external)
      .map((i) => relative(outDir, resolve(root, i.path)));
  }
  const entry = (abs: string): string => {
    const file = byEntry.get(abs);
    if (!file) throw new Error(`esbuild wrote no output for entry ${abs}`);
    return file;
  };
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(meta.inputs)) {
    if (input.includes("node_modules/") || input.includes(":")) continue;
    inputs[input] = await hashFile(resolve(root, input));
  }
  const imports: Record<string, string[]> = {};
  for (const file of Object.keys(direct)) imports[file] = transitive(file, direct);
  return {
    version: BUILD_VERSION,
    boot: entry(BOOT_ENTRY),
    islands: Object.fromEntries(islands.map((i) => [i.name, entry(i.file)])),
    imports,
    files: Object.keys(direct).sort(),
    inputs,
  };
}

function transitive(file: string, direct: Record<string, string[]>): string[] {
  const seen = new Set<string>();
  const visit = (f: string) => {
    for (const dep of direct[f] ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep);
        visit(dep);
      }
    }
  };
  visit(file);
  return [...seen].sort();
}

async function writeOutput(outDir: string, files: OutputFile[], manifest: BuildManifest): Promise<void> {
  const previous = await readManifest(outDir);
  await Deno.mkdir(outDir, { recursive: true });
  for (const f of files) await Deno.writeFile(f.path, f.contents);
  // The manifest goes last, so a build that died half-way leaves the old manifest, seen as stale.
  await Deno.writeTextFile(join(outDir, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
  for (const old of previous?.files ?? []) {
    if (!manifest.files.includes(old)) await Deno.remove(join(outDir, old)).catch(() => {});
  }
}

async function hashFile(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Lets islands use the project's local import-map prefixes as Deno does (`"@/": "./"` in deno.json makes
 * `@/core/x.ts` the file `core/x.ts`). Only prefixes that map to a relative path are taken; bare package
 * names resolve from node_modules.
 */
async function localImportMap(root: string): Promise<Plugin> {
  let imports: Record<string, string> = {};
  try {
    imports = JSON.parse(await Deno.readTextFile(join(root, "deno.json"))).imports ?? {};
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const prefixes = Object.entries(imports)
    .filter(([key, target]) => key.endsWith("/") && /^\.\.?\//.test(target))
    .map(([key, target]) => [key, resolve(root, target)] as const);
  return {
    name: "local-import-map",
    setup(build) {
      for (const [prefix, dir] of prefixes) {
        const filter = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
        build.onResolve({ filter }, (args) => ({ path: join(dir, args.path.slice(prefix.length)) }));
      }
    },
  };
}

/** Lets islands use `npm:pkg@version/sub` specifiers as Deno does, by resolving them from node_modules. */
const npmSpecifiers: Plugin = {
  name: "npm-specifiers",
  setup(build) {
    build.onResolve({ filter: /^npm:/ }, (args) => {
      const bare = args.path.slice(4).replace(/^\/?((?:@[^/]+\/)?[^/@]+)@[^/]+/, "$1");
      return build.resolve(bare, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer });
    });
  },
};
