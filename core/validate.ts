/**
 * Request parsing with zod: every input goes through one of these, so every
 * bad input gets the contract's answer and nothing is written.
 *
 * - 413 when the body is over the limit (1 MiB unless said otherwise),
 * - 400 when it is not JSON (or not an object where one is needed),
 * - 422 when it is JSON but the values are wrong, with `fields` naming each path (also for text
 *   PostgreSQL cannot store, such as NUL characters, and for JSON nested too deeply: core/text_guard.ts).
 */
import { z } from "zod";
import { HttpError } from "./http_error.ts";
import { assertStorableParams, assertStorableText } from "./text_guard.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads at most `limit` bytes of a body, answering 413 past it (also without Content-Length). */
export async function readBody(req: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(limit: number) {
  return new HttpError(413, `request body is larger than ${limit} bytes`);
}

/**
 * Parses a JSON body against `schema`.
 *
 * @example
 * const input = await parseJson(ctx.req, z.strictObject({ email: z.email() }));
 */
export async function parseJson<S extends z.ZodType>(
  req: Request,
  schema: S,
  limit = MAX_BODY_BYTES,
): Promise<z.output<S>> {
  const bytes = await readBody(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new HttpError(400, "request body must be valid JSON", { cause, code: "malformed_json" });
  }
  return check(schema, assertStorableText(value));
}

/** Parses the query string; repeated keys become arrays only where the schema wants one. */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  assertStorableParams(url.searchParams);
  const raw: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const seen = raw[key];
    raw[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return check(schema, raw);
}

/** Parses a positive integer route parameter; anything else is a 404 (no such resource). */
export function parseId(value: string | undefined, what = "resource"): number {
  if (!value || !/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
    throw new HttpError(404, `${what} not found`);
  }
  return Number(value);
}

/** Validates `value`, turning zod's issues into a 422 with one message per field path. */
export function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(422, "invalid values", { fields: issuesToFields(result.error.issues) });
}

/** `{ "steps.0.subject": "Too big: ..." }`; an issue on the root is named `body`. */
export function issuesToFields(issues: z.core.$ZodIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const keys = issue.code === "unrecognized_keys"
      ? issue.keys.map((k) => [...issue.path, k])
      : [issue.path];
    for (const path of keys) {
      const name = path.length ? path.map(String).join(".") : "body";
      fields[name] ??= issue.code === "unrecognized_keys" ? "unknown field" : issue.message;
    }
  }
  return fields;
}
