/**
 * Island props travel from the server render to the browser as JSON inside a `<script>` element. This
 * module is the one codec for that trip: strict on the way out (anything that would not arrive intact is
 * an error that names the island and the prop), and safe to embed in HTML. Dates survive the trip.
 */
import { isValidElement } from "preact";

const ALLOWED = "strings, numbers, booleans, null, arrays, plain objects and Dates";

/**
 * Serializes an island's props to a JSON string that can sit inside `<script type="application/json">`:
 * `<`, `>`, `&`, U+2028 and U+2029 are escaped, so neither `</script` nor `<!--` can end or confuse the
 * element. Throws when a prop cannot be serialized, naming the island and the prop's path.
 */
export function encodeProps(island: string, props: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    out[escapeKey(key)] = toJson(value, { island, path: key, ancestors: [] });
  }
  return escapeForScript(JSON.stringify(out));
}

/** Parses what {@link encodeProps} produced, restoring Dates. Runs in the browser (boot script). */
export function decodeProps(text: string): Record<string, unknown> {
  return JSON.parse(text, (_key, value) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "$date") return new Date(value.$date);
    if (!keys.some((k) => k.startsWith("$"))) return value;
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k.startsWith("$") ? k.slice(1) : k] = value[k];
    return out;
  });
}

/** Escapes the characters that could end a `<script>` element or break a JavaScript parser. */
export function escapeForScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

interface Walk {
  island: string;
  path: string;
  ancestors: object[];
}

/** Keys starting with `$` are doubled so that `{"$date": ...}` stays reserved for Dates. */
function escapeKey(key: string): string {
  return key.startsWith("$") ? `$${key}` : key;
}

function fail(walk: Walk, what: string): never {
  throw new TypeError(
    `island "${walk.island}": prop "${walk.path}" cannot be serialized (${what}); island props must be ${ALLOWED}`,
  );
}

function toJson(value: unknown, walk: Walk): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : fail(walk, `non-finite number ${value}`);
    case "undefined":
      return null;
    case "function":
      return fail(walk, "function");
    case "symbol":
      return fail(walk, "symbol");
    case "bigint":
      return fail(walk, "bigint");
  }
  if (value === null) return null;
  const obj = value as object;
  if (walk.ancestors.includes(obj)) return fail(walk, "cyclic reference");
  if (obj instanceof Date) {
    return Number.isNaN(obj.getTime()) ? fail(walk, "invalid Date") : { $date: obj.toISOString() };
  }
  if (isValidElement(obj)) return fail(walk, "JSX element; islands cannot take JSX children");
  const ancestors = [...walk.ancestors, obj];
  if (Array.isArray(obj)) {
    return obj.map((item, i) => toJson(item, { island: walk.island, path: `${walk.path}[${i}]`, ancestors }));
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    return fail(walk, `instance of ${proto?.constructor?.name ?? "a class"}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(obj)) {
    if (item === undefined) continue;
    out[escapeKey(key)] = toJson(item, { island: walk.island, path: `${walk.path}.${key}`, ancestors });
  }
  return out;
}
