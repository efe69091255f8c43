/**
 * One text guard for all input (JSON bodies, forms, query strings, CSV imports, webhooks).
 *
 * PostgreSQL refuses the NUL character in text and jsonb ("invalid byte sequence", "unsupported Unicode
 * escape sequence"), and a lone UTF-16 surrogate (`"\ud800"` in JSON) as jsonb, so either reaching a
 * query would be a 500. Inputs are checked first and such a value is a 422 naming its field. Iterative
 * with a depth limit: hostile, deeply nested JSON must not overflow the stack either.
 *
 * Where a value becomes a header (an HTTP `Location`, an email header), control characters are refused
 * too (assertHeaderValue): CR/LF would split the header, and a TAB or other control is stripped or
 * refused by the receiver in ways that change its meaning.
 *
 * Data a signed provider sends us (webhooks) is stored rather than refused: storableCopy() drops NULs and
 * replaces lone surrogates with U+FFFD.
 */
import { HttpError } from "./http_error.ts";

const MAX_DEPTH = 32;

/** Why PostgreSQL could not store `text`, or undefined. */
export function badText(text: string): string | undefined {
  if (text.includes("\0")) return "must not contain NUL characters";
  if (!text.isWellFormed()) return "must not contain lone UTF-16 surrogates";
  return undefined;
}

// C0 controls (TAB, CR and LF included), DEL, and the C1 controls.
// deno-lint-ignore no-control-regex
const HEADER_BREAK = /[\u0000-\u001f\u007f-\u009f]/;

/** Why `value` cannot go into a header line, or undefined. */
export function headerBreak(value: string): string | undefined {
  if (HEADER_BREAK.test(value)) return "must not contain control characters (CR, LF, TAB, NUL)";
  // An HTTP header value is bytes: a character past U+00FF cannot be sent as it is (encode it first).
  if (/[^\u0020-\u00ff]/.test(value)) return "must not contain characters past U+00FF";
  return undefined;
}

/** Throws a 400 naming `field` when `value` cannot be put into a header as it is. */
export function assertHeaderValue(field: string, value: string): string {
  const bad = headerBreak(value);
  if (bad) throw new HttpError(400, `${field} ${bad}`, { fields: { [field]: bad } });
  return value;
}

/**
 * A copy of `value` that PostgreSQL can store: NULs dropped, lone surrogates replaced by U+FFFD, in keys
 * and strings; what is nested deeper than the limit is left out. For signed provider data (webhooks),
 * which is kept rather than refused.
 */
export function storableCopy(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replaceAll("\0", "").toWellFormed();
  if (!value || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH * 2) return null;
  if (Array.isArray(value)) return value.map((item) => storableCopy(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key.replaceAll("\0", "").toWellFormed()] = storableCopy(child, depth + 1);
  }
  return copy;
}

/** The path of the first string (or key) holding a NUL, or of a value nested too deeply. */
export function findBadText(value: unknown): { path: string; message: string } | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    const name = () => (path.length ? path.join(".") : "body");
    if (typeof v === "string") {
      const bad = badText(v);
      if (bad) return { path: name(), message: bad };
    } else if (v && typeof v === "object") {
      if (path.length >= MAX_DEPTH) return { path: name(), message: "is nested too deeply" };
      for (const [key, child] of Object.entries(v)) {
        const bad = badText(key);
        if (bad) return { path: name(), message: bad };
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
    const bad = badText(key) ?? badText(value);
    if (bad) {
      throw new HttpError(422, "invalid values", {
        fields: { [key.replaceAll("\0", "").toWellFormed()]: bad },
      });
    }
  }
}

/** `url`, after checking its query string (for `parseQuery(storableUrl(ctx.url), schema)`). */
export function storableUrl(url: URL): URL {
  assertStorableParams(url.searchParams);
  return url;
}
