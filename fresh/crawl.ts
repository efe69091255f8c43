/**
 * Directory walking for start-up: routes, islands and static files are all found by crawling once, so
 * there is no generated manifest to keep in sync and nothing is read again per request.
 */
import { join } from "node:path";

/**
 * Lists files under `root` as `/`-separated paths relative to it, sorted for a stable order. Dot files and
 * dot folders are skipped; a missing `root` gives an empty list (an app may have no `static/` or `islands/`).
 */
export async function walkFiles(root: string, skipDirs: readonly string[] = []): Promise<string[]> {
  const out: string[] = [];
  async function visit(dir: string, rel: string): Promise<void> {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound && rel === "") return;
      throw err;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const abs = join(dir, entry.name);
      const relPath = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory) {
        if (!skipDirs.includes(abs)) await visit(abs, relPath);
      } else if (entry.isFile || entry.isSymlink) {
        out.push(relPath);
      }
    }
  }
  await visit(root, "");
  return out.sort();
}

/** Whether a file is a module the router or island registry should import (tests are not). */
export function isModuleFile(relPath: string): boolean {
  return /\.[jt]sx?$/.test(relPath) && !/[._]test\.[jt]sx?$/.test(relPath) && !relPath.endsWith(".d.ts");
}

/** An island module found on disk: its PascalCase name and absolute path. */
export interface IslandFile {
  name: string;
  file: string;
}

/**
 * Finds the island modules under `islandsDir`. The file name gives the island's name, which must be
 * PascalCase and unique, because it names the bundle and the marker in the HTML.
 */
export async function findIslandFiles(islandsDir: string): Promise<IslandFile[]> {
  const out: IslandFile[] = [];
  for (const rel of (await walkFiles(islandsDir)).filter(isModuleFile)) {
    const name = rel.split("/").pop()!.replace(/\.[jt]sx?$/, "");
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
      throw new Error(`island file "${rel}": the name must be PascalCase, like Counter.tsx`);
    }
    if (out.some((i) => i.name === name)) throw new Error(`two islands are named "${name}"`);
    out.push({ name, file: join(islandsDir, rel) });
  }
  return out;
}
