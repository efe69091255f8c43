/**
 * Files of `static/`, served at the site root (`static/robots.txt` is `/robots.txt`), as Fresh does. The
 * folder is indexed once at start; contents up to 1 MiB are kept in memory after the first request and
 * larger ones are streamed. They have no content hash in their names, so the cache is short and an
 * `ETag` lets browsers revalidate cheaply.
 */
import { extname, join } from "node:path";
import { walkFiles } from "./crawl.ts";

const CACHE_CONTROL = "public, max-age=300";
const MEMORY_LIMIT = 1 << 20;

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".xml": "application/xml",
  ".webmanifest": "application/manifest+json",
  ".pdf": "application/pdf",
  ".map": "application/json",
};

interface StaticFile {
  path: string;
  type: string;
  etag: string;
  size: number;
  body?: Uint8Array<ArrayBuffer>;
}

/** The index of `static/`: URL path → file. */
export type StaticFiles = Map<string, StaticFile>;

/** Indexes `staticDir` at start (skipping `skipDirs`, e.g. a build folder inside it that is served apart). */
export async function indexStaticFiles(
  staticDir: string,
  skipDirs: readonly string[] = [],
): Promise<StaticFiles> {
  const index: StaticFiles = new Map();
  for (const rel of await walkFiles(staticDir, skipDirs)) {
    const path = join(staticDir, rel);
    const info = await Deno.stat(path);
    const etag = `W/"${info.size.toString(36)}-${(info.mtime?.getTime() ?? 0).toString(36)}"`;
    const type = TYPES[extname(rel).toLowerCase()] ?? "application/octet-stream";
    index.set(`/${rel}`, { path, type, etag, size: info.size });
  }
  return index;
}

/** Serves a static file for GET/HEAD, or returns `null` when the path is not one. */
export async function serveStatic(
  index: StaticFiles,
  pathname: string,
  req: Request,
): Promise<Response | null> {
  if (index.size === 0 || (req.method !== "GET" && req.method !== "HEAD")) return null;
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const file = index.get(path);
  if (!file) return null;
  const headers = { "content-type": file.type, "cache-control": CACHE_CONTROL, etag: file.etag };
  if (req.headers.get("if-none-match") === file.etag) return new Response(null, { status: 304, headers });
  const sized = { ...headers, "content-length": String(file.size) };
  if (req.method === "HEAD") return new Response(null, { headers: sized });
  if (file.size <= MEMORY_LIMIT) {
    file.body ??= await Deno.readFile(file.path);
    return new Response(file.body, { headers: sized });
  }
  const handle = await Deno.open(file.path);
  return new Response(handle.readable, { headers: sized });
}
