/** zod schemas of job search and job answers, and the opaque keyset cursor of the search. */
import { z } from "zod";
import { HttpError } from "./http_error.ts";

const intString = (max: number) =>
  z.string().regex(/^\d{1,10}$/, "must be a whole number").transform(Number).pipe(
    z.number().int().max(max, `must be at most ${max}`),
  );

/**
 * An ISO date or datetime PostgreSQL can store: zod accepts the year 0000, which PostgreSQL refuses
 * (there is no year 0), and that would be a 500 instead of a 422.
 */
export const IsoDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: "must be an ISO date",
})
  .refine((v) => !v.startsWith("0000"), { message: "must be in the year 1 or later" });

export const JobSearchQuery = z.strictObject({
  q: z.string().trim().max(200, "must be at most 200 characters").optional(),
  location: z.string().trim().max(255, "must be at most 255 characters").optional(),
  remote: z.enum(["true", "false"], { error: "must be true or false" }).transform((v) => v === "true")
    .optional(),
  comp_min: intString(100_000_000).optional(),
  posted_after: IsoDate.optional(),
  company_id: intString(2_147_483_647).pipe(z.number().min(1, "must be a company id")).optional(),
  limit: intString(100).pipe(z.number().min(1, "must be at least 1")).default(20),
  sort: z.enum(["match", "date"], { error: "must be match or date" }).optional(),
  cursor: z.string().max(200, "is not a cursor of this search").optional(),
});

export type JobSearchQueryOut = z.output<typeof JobSearchQuery>;

export const CompanyRef = z.object({ id: z.number(), name: z.string(), domain: z.string().nullable() });
export const MatchOut = z.object({ score: z.number().int(), category: z.string() });

export const JobListOut = z.object({
  items: z.array(z.object({
    id: z.number(),
    title: z.string(),
    company: CompanyRef,
    location: z.string().nullable(),
    remote: z.boolean(),
    comp_min: z.number().nullable(),
    comp_max: z.number().nullable(),
    posted_date: z.string().nullable(),
    match: MatchOut,
  })),
  next_cursor: z.string().nullable(),
  prev_cursor: z.string().nullable(),
  /** Jobs found: exact up to 1,000, `capped` when there are more. */
  count: z.object({ value: z.number().int(), capped: z.boolean() }),
  sort: z.enum(["match", "date"]),
});

export const JobDetailOut = z.object({
  id: z.number(),
  title: z.string(),
  description: z.string().nullable(),
  company: CompanyRef.extend({ size: z.string().nullable(), industry: z.string().nullable() }),
  match: MatchOut.extend({ reasons: z.array(z.string()) }),
});

export interface Cursor {
  posted: string | null;
  id: number;
}

/** The cursor is opaque to clients: base64url of the last item's sort key. */
export function encodeCursor(cursor: Cursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([cursor.posted, cursor.id]));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Decodes a cursor; anything not made by `encodeCursor` is a 422 naming `cursor`. */
export function decodeCursor(text: string): Cursor {
  const bad = () =>
    new HttpError(422, "invalid values", { fields: { cursor: "is not a cursor of this search" } });
  let value: unknown;
  try {
    const b64 = text.replaceAll("-", "+").replaceAll("_", "/");
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)),
    ));
  } catch {
    throw bad();
  }
  if (!Array.isArray(value) || value.length !== 2) throw bad();
  const [posted, id] = value;
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) throw bad();
  if (posted !== null && !isTimestampText(posted)) throw bad();
  return { posted, id };
}

/**
 * PostgreSQL's text form of a timestamptz ("2026-11-27 00:45:11.123456+00"), with real calendar values that
 * PostgreSQL also accepts: year 0001 or later (JavaScript takes year 0000, PostgreSQL refuses it), and an
 * offset within ±15:59 (PostgreSQL's limit; JavaScript takes ±23:59).
 */
function isTimestampText(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)([+-]\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return false;
  if (m[1].startsWith("0000") || Math.abs(Number(m[3])) > 15 || Number(m[4] ?? 0) > 59) return false;
  const iso = `${m[1]}T${m[2].slice(0, 12)}${m[3]}:${m[4] ?? "00"}`;
  const time = Date.parse(iso);
  return !Number.isNaN(time) && new Date(Date.parse(`${m[1]}T00:00:00Z`)).toISOString().slice(0, 10) === m[1];
}
