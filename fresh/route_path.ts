/**
 * Pure path logic of the file-system router: turning a file's path under `routes/` into URL segments,
 * ordering routes by precedence and matching a request path. No I/O here, so it is cheap to test.
 */

/** One segment of a route pattern. */
export type Segment =
  | { kind: "static"; value: string }
  | { kind: "param"; name: string }
  | { kind: "rest"; name: string };

/** Rank of a segment kind: lower wins, so static beats `[param]` beats `[...rest]`. */
const RANK: Record<Segment["kind"], number> = { static: 0, param: 1, rest: 2 };

/**
 * Parses one folder or file name (without extension) into a segment, or `null` for a `(group)` folder,
 * which organises files without adding to the URL.
 */
export function parseSegment(name: string): Segment | null {
  if (/^\(.+\)$/.test(name)) return null;
  const rest = /^\[\.\.\.([A-Za-z_][A-Za-z0-9_]*)\]$/.exec(name);
  if (rest) return { kind: "rest", name: rest[1] };
  const param = /^\[([A-Za-z_][A-Za-z0-9_]*)\]$/.exec(name);
  if (param) return { kind: "param", name: param[1] };
  if (name.includes("[") || name.includes("]")) {
    throw new Error(`unsupported route segment "${name}": use a whole segment like [id] or [...rest]`);
  }
  return { kind: "static", value: name };
}

/**
 * Turns the folder names of a path under `routes/` (groups included) into URL segments; `(group)`
 * folders drop out. Used both for route files and for the folders that hold layouts and middleware.
 */
export function folderSegments(folders: readonly string[]): Segment[] {
  const out: Segment[] = [];
  for (const name of folders) {
    const seg = parseSegment(name);
    if (seg) out.push(seg);
  }
  return out;
}

/**
 * Segments of a route file, given its path relative to `routes/` with `/` separators
 * (`users/[id].tsx`). `index` maps to its folder's path. A `[...rest]` must be the last segment.
 */
export function routeSegments(relPath: string): Segment[] {
  const parts = relPath.split("/");
  const file = parts.pop()!.replace(/\.[jt]sx?$/, "");
  if (file !== "index") parts.push(file);
  const segments = folderSegments(parts);
  segments.forEach((seg, i) => {
    if (seg.kind === "rest" && i !== segments.length - 1) {
      throw new Error(`route "${relPath}": [...${seg.name}] must be the last segment`);
    }
  });
  return segments;
}

/** Readable pattern of a route (`/users/:id`, `/files/*path`), for errors and logs. */
export function patternOf(segments: readonly Segment[]): string {
  const parts = segments.map((s) =>
    s.kind === "static" ? s.value : s.kind === "param" ? `:${s.name}` : `*${s.name}`
  );
  return "/" + parts.join("/");
}

/**
 * Orders two routes so that the more specific comes first: segment by segment, static before `[param]`
 * before `[...rest]`; when one is a prefix of the other the shorter wins (`/blog` before `/blog/[...rest]`).
 */
export function compareRoutes(a: readonly Segment[], b: readonly Segment[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const diff = RANK[a[i].kind] - RANK[b[i].kind];
    if (diff !== 0) return diff;
    const av = a[i], bv = b[i];
    if (av.kind === "static" && bv.kind === "static" && av.value !== bv.value) {
      return av.value < bv.value ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/** Splits a URL pathname into raw segments, ignoring empty ones (so `/a/` equals `/a`). */
export function splitPath(pathname: string): string[] {
  return pathname.split("/").filter((s) => s !== "");
}

/**
 * Matches raw path segments against a pattern. Returns the decoded params, or `null` when the pattern
 * does not match (a malformed `%` escape never matches). A `[...rest]` takes zero or more segments.
 */
export function matchSegments(
  pattern: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i];
    if (seg.kind === "rest") {
      const tail = decodeAll(parts.slice(i));
      if (tail === null) return null;
      params[seg.name] = tail.join("/");
      return params;
    }
    if (i >= parts.length) return null;
    const value = decode(parts[i]);
    if (value === null) return null;
    if (seg.kind === "static") {
      if (value !== seg.value) return null;
    } else {
      params[seg.name] = value;
    }
  }
  return parts.length === pattern.length ? params : null;
}

/**
 * Whether a folder's segments match the start of a path: used to pick the middleware that still runs
 * for a path no route matches (so `/api/_middleware.ts` runs for an unknown `/api/...` too).
 */
export function matchesPrefix(pattern: readonly Segment[], parts: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i];
    if (seg.kind === "rest") return true;
    if (i >= parts.length) return false;
    if (seg.kind === "static" && decode(parts[i]) !== seg.value) return false;
  }
  return true;
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

function decodeAll(parts: readonly string[]): string[] | null {
  const out: string[] = [];
  for (const p of parts) {
    const d = decode(p);
    if (d === null) return null;
    out.push(d);
  }
  return out;
}
