import assert from "node:assert/strict";
import { decodeCursor, encodeCursor } from "./job_schemas.ts";
import { HttpError } from "./http_error.ts";

Deno.test("encodeCursor/decodeCursor - round trip with PostgreSQL's timestamptz text and with null", () => {
  for (const cursor of [{ posted: "2026-11-27 00:45:11.123456+00", id: 42 }, { posted: null, id: 7 }]) {
    assert.deepEqual(decodeCursor(encodeCursor(cursor)), cursor);
  }
  assert.match(encodeCursor({ posted: null, id: 1 }), /^[A-Za-z0-9_-]+$/);
});

Deno.test("decodeCursor - anything else is a 422 naming cursor", () => {
  const bad = [
    "",
    "!!!",
    btoa("{}"),
    btoa('["2026-02-30 00:00:00+00", 1]'),
    btoa('["x", 1]'),
    btoa("[null, 0]"),
    btoa("[null, 2147483648]"),
    btoa('[null, "1"]'),
  ];
  for (const text of bad) {
    assert.throws(
      () => decodeCursor(text),
      (e) => e instanceof HttpError && e.status === 422 && !!e.fields?.cursor,
    );
  }
});
