/**
 * The cursors of `GET /api/jobs` and `/jobs`: opaque base64url JSON of the sort, the direction (the next
 * page after the key, or the previous page before it) and the key of the row at the page's edge. Newest
 * first keys on (posted_date, id), best match on (score, id). A cursor of core/job_schemas.ts's older form
 * (`[posted, id]`) is still read as "newest first, next page". Anything else is a 422 naming `cursor`.
 */
import { type Cursor, decodeCursor, encodeCursor } from "./job_schemas.ts";
import { HttpError } from "./http_error.ts";

export type SearchSort = "match" | "date";

export type SearchCursor =
  | { sort: "date"; dir: "next" | "prev"; posted: string | null; id: number }
  | { sort: "match"; dir: "next" | "prev"; score: number; id: number };

const bad = () =>
  new HttpError(422, "invalid values", { fields: { cursor: "is not a cursor of this search" } });

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function encodeSearchCursor(c: SearchCursor): string {
  if (c.sort === "date" && c.dir === "next") return encodeCursor({ posted: c.posted, id: c.id });
  return toBase64Url(
    JSON.stringify(c.sort === "date" ? ["d", c.dir, c.posted, c.id] : ["m", c.dir, c.score, c.id]),
  );
}

/** Decodes a cursor made for `sort`; one of another sort or not made here is a 422 naming `cursor`. */
export function decodeSearchCursor(text: string, sort: SearchSort): SearchCursor {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0)),
    ));
  } catch {
    throw bad();
  }
  if (Array.isArray(value) && value.length === 2) {
    if (sort !== "date") throw bad();
    const old: Cursor = decodeCursor(text);
    return { sort: "date", dir: "next", ...old };
  }
  if (!Array.isArray(value) || value.length !== 4) throw bad();
  const [kind, dir, key, id] = value;
  if (dir !== "next" && dir !== "prev") throw bad();
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) throw bad();
  if (kind === "m" && sort === "match") {
    if (!Number.isInteger(key) || key < 0 || key > 100) throw bad();
    return { sort: "match", dir, score: key, id };
  }
  if (kind === "d" && sort === "date") {
    // The key is checked by the older form's own decoder (one set of timestamp rules).
    const { posted } = decodeCursor(encodeCursor({ posted: key as string | null, id }));
    return { sort: "date", dir, posted, id };
  }
  throw bad();
}

/** The sort a cursor was made for: a best-match cursor says so; anything else is read as newest first. */
export function cursorSort(text: string): SearchSort {
  try {
    return decodeSearchCursor(text, "match").sort;
  } catch {
    return "date";
  }
}
