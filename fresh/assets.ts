/**
 * The built client files at run time: makes sure a build exists (building only when allowed and needed),
 * loads its files into memory once, and serves them under `/_frsh/js/` with a year-long immutable cache,
 * which is safe because every file name carries a hash of its content.
 */
import { join } from "node:path";
import { buildIslands, type BuildManifest, isStale, readManifest } from "./build.ts";
import { findIslandFiles } from "./crawl.ts";

/** URL prefix of built files. */
export const BUILD_PREFIX = "/_frsh/js/";

/** When to run esbuild at start: `ifMissing` (missing or stale), `always`, or `never` (ahead-of-time). */
export type BuildMode = "ifMissing" | "always" | "never";

/** The client build as the server uses it. */
export interface ClientBuild {
  manifest: BuildManifest;
  /** File name → contents, read once at start. */
  files: Map<string, Uint8Array<ArrayBuffer>>;
}

/**
 * Returns the client build, building first when the mode asks for it. An app without islands needs no
 * client code and gets `null`. With `never`, a missing build is an error that says to run the build task.
 */
export async function prepareClientBuild(
  opts: { islandsDir: string; buildDir: string; mode: BuildMode },
): Promise<ClientBuild | null> {
  const dirs = { islandsDir: opts.islandsDir, outDir: opts.buildDir };
  if ((await findIslandFiles(opts.islandsDir)).length === 0) return null;
  let manifest = opts.mode === "always" ? null : await readManifest(opts.buildDir);
  if (opts.mode === "never") {
    if (!manifest) throw new Error(`no client build in ${opts.buildDir}: run \`deno task build\` first`);
  } else if (!manifest || await isStale(manifest, dirs)) {
    manifest = await buildIslands(dirs);
  }
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const file of manifest.files) files.set(file, await Deno.readFile(join(opts.buildDir, file)));
  return { manifest, files };
}

/** Serves one built file by its name under {@link BUILD_PREFIX}, or `null` when there is no such file. */
export function serveBuilt(build: ClientBuild | null, name: string, method: string): Response | null {
  const body = build?.files.get(name);
  if (!body) return null;
  return new Response(method === "HEAD" ? null : body, {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      "content-length": String(body.byteLength),
    },
  });
}
