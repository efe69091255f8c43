import assert from "node:assert/strict";
import { decodeSearchCursor, encodeSearchCursor, type SearchCursor } from "./search_cursor.ts";
import { encodeCursor } from "./job_schemas.ts";
import { HttpError } from "./http_error.ts";

Deno.test("search cursor - round trips for both sorts and directions; the older form still reads", () => {
  const cursors: SearchCursor[] = [
    { sort: "date", dir: "next", posted: "2026-11-27 00:45:11.123456+00", id: 7 },
    { sort: "date", dir: "prev", posted: null, id: 9 },
    { sort: "match", dir: "next", score: 91, id: 3 },
    { sort: "match", dir: "prev", score: 0, id: 2_147_483_647 },
  ];
  for (const c of cursors) assert.deepEqual(decodeSearchCursor(encodeSearchCursor(c), c.sort), c);
  assert.deepEqual(decodeSearchCursor(encodeCursor({ posted: null, id: 5 }), "date"), {
    sort: "date",
    dir: "next",
    posted: null,
    id: 5,
  });
});

Deno.test("search cursor - a forged, foreign or other-sort cursor is a 422 naming cursor", () => {
  const forged = [
    "bm90LWEtY3Vyc29y",
    "!!!",
    encodeSearchCursor({ sort: "match", dir: "next", score: 50, id: 1 }).slice(0, -2),
    btoa(JSON.stringify(["m", "next", 101, 1])),
    btoa(JSON.stringify(["m", "sideways", 50, 1])),
    btoa(JSON.stringify(["d", "next", "yesterday", 1])),
    btoa(JSON.stringify(["m", "next", 50, -1])),
  ];
  for (const text of forged) {
    assert.throws(
      () => decodeSearchCursor(text, "match"),
      (e) => e instanceof HttpError && e.status === 422,
      text,
    );
  }
  const dateCursor = encodeSearchCursor({ sort: "date", dir: "next", posted: null, id: 1 });
  assert.throws(() => decodeSearchCursor(dateCursor, "match"), HttpError);
  const matchCursor = encodeSearchCursor({ sort: "match", dir: "next", score: 1, id: 1 });
  assert.throws(() => decodeSearchCursor(matchCursor, "date"), HttpError);
});
