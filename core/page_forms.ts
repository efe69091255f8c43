/**
 * HTML form posts for the server-rendered pages (which work without JavaScript): reading the urlencoded
 * body under the same 1 MiB limit as the API, and turning textarea lines and checkboxes into the values the
 * zod schemas expect.
 */
import { HttpError } from "./http_error.ts";
import { readBody } from "./validate.ts";
import { assertHeaderValue, assertStorableParams } from "./text_guard.ts";

/** The posted form; 415 for anything but `application/x-www-form-urlencoded`. */
export async function readForm(req: Request): Promise<URLSearchParams> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new HttpError(415, "forms must be sent as application/x-www-form-urlencoded");
  }
  const bytes = await readBody(req);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new HttpError(400, "the form is not valid UTF-8", { cause });
  }
  const form = new URLSearchParams(text);
  assertStorableParams(form);
  return form;
}

/** One text field ("" when absent). */
export function field(form: URLSearchParams, name: string): string {
  return form.get(name) ?? "";
}

/** A textarea with one item per line (or comma-separated on one line), without empty items. */
export function lines(form: URLSearchParams, name: string, commas = false): string[] {
  const splitter = commas ? /[\n,]/ : /\n/;
  return field(form, name).split(splitter).map((s) => s.trim()).filter(Boolean);
}

/**
 * A whole-number (money) input: "" is null; "180000", "180,000", "$180,000", "180k" and "1.2m" are numbers;
 * anything else is passed on for zod to refuse.
 */
export function optionalInt(form: URLSearchParams, name: string): number | null | string {
  const raw = field(form, name).trim();
  if (!raw) return null;
  const m = /^[$€£]?\s*(\d{1,12}(?:\.\d{1,3})?)\s*([kKmM]?)$/.exec(
    raw.replaceAll(",", "").replace(/\s+(?=[kKmM]$)/, ""),
  );
  if (!m) return raw;
  const value = Number(m[1]) * (m[2] === "" ? 1 : /k/i.test(m[2]) ? 1_000 : 1_000_000);
  return Number.isInteger(value) && value <= 999_999_999_999 ? value : raw;
}

/** zod's field messages keyed by path, for showing beside the inputs. */
export type FieldErrors = Record<string, string>;

/** The first message for `name` or any of its items (`skills.3`). */
export function errorFor(errors: FieldErrors | undefined, name: string): string | undefined {
  if (!errors) return undefined;
  if (errors[name]) return errors[name];
  const key = Object.keys(errors).find((k) => k.startsWith(`${name}.`));
  return key ? errors[key] : undefined;
}

/**
 * A 303 (See Other) after a successful post, so a reload does not post again. A location that cannot be a
 * header line (control characters, characters past U+00FF) is a 400, never a 500 or a split header.
 */
export function seeOther(location: string, headers: Record<string, string> = {}): Response {
  assertHeaderValue("location", location);
  return new Response(null, { status: 303, headers: { location, ...headers } });
}
