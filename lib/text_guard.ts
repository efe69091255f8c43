/**
 * PostgreSQL refuses the NUL character in text and jsonb ("invalid byte sequence", "unsupported Unicode
 * escape sequence"), so a NUL that reached a query would be a 500. Inputs are checked first and such a
 * value is a 422 naming its field. Iterative with a depth limit: hostile, deeply nested JSON must not
 * overflow the stack either.
 */
import { HttpError } from "./http_error.ts";

const MAX_DEPTH = 32;

/** The path of the first string (or key) holding a NUL, or of a value nested too deeply. */
export function findBadText(value: unknown): { path: string; message: string } | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    const name = () => (path.length ? path.join(".") : "body");
    if (typeof v === "string") {
      if (v.includes("\0")) return { path: name(), message: "must not contain NUL characters" };
    } else if (v && typeof v === "object") {
      if (path.length >= MAX_DEPTH) return { path: name(), message: "is nested too deeply" };
      for (const [key, child] of Object.entries(v)) {
        if (key.includes("\0")) return { path: name(), message: "must not contain NUL characters" };
        stack.push({ value: child, path: [...path, Array.isArray(v) ? Number(key) : key] });
      }
    }
  }
  return undefined;
}

/** Throws a 422 naming the field when `value` holds text PostgreSQL cannot store. */
export function assertStorableText<T>(value: T): T {
  const bad = findBadText(value);
  if (bad) throw new HttpError(422, "invalid values", { fields: { [bad.path]: bad.message } });
  return value;
}

/** The same for a query string or a posted form. */
export function assertStorableParams(params: URLSearchParams): void {
  for (const [key, value] of params) {
    if (key.includes("\0") || value.includes("\0")) {
      throw new HttpError(422, "invalid values", {
        fields: { [key.replaceAll("\0", "")]: "must not contain NUL characters" },
      });
    }
  }
}

/** `url`, after checking its query string (for `parseQuery(storableUrl(ctx.url), schema)`). */
export function storableUrl(url: URL): URL {
  assertStorableParams(url.searchParams);
  return url;
}
