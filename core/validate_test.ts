import assert from "node:assert/strict";
import { z } from "zod";
import { HttpError } from "./http_error.ts";
import { check, parseId, parseJson, parseQuery } from "./validate.ts";

const Schema = z.strictObject({ email: z.email(), age: z.number().int().optional() });

function post(body: string, headers: Record<string, string> = {}) {
  return new Request("http://x/api", { method: "POST", body, headers });
}

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<HttpError> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return error;
  }
  assert.fail("expected an HttpError");
}

Deno.test("parseJson - accepts a valid body", async () => {
  assert.deepEqual(await parseJson(post('{"email":"a@b.co"}'), Schema), { email: "a@b.co" });
});

Deno.test("parseJson - malformed JSON is a 400", async () => {
  const error = await rejection(parseJson(post("{nope"), Schema));
  assert.equal(error.status, 400);
  assert.equal(error.code, "malformed_json");
});

Deno.test("parseJson - wrong values are a 422 naming each field", async () => {
  const error = await rejection(parseJson(post('{"email":"x","age":"old","extra":1}'), Schema));
  assert.equal(error.status, 422);
  assert.deepEqual(Object.keys(error.fields ?? {}).sort(), ["age", "email", "extra"]);
  assert.equal(error.fields?.extra, "unknown field");
});

Deno.test("parseJson - a body over the limit is a 413, with or without Content-Length", async () => {
  const big = JSON.stringify({ email: "a".repeat(2000) });
  assert.equal((await rejection(parseJson(post(big), Schema, 1000))).status, 413);
  const stream = new Request("http://x", {
    method: "POST",
    body: new Blob([big]).stream(),
  });
  assert.equal((await rejection(parseJson(stream, Schema, 1000))).status, 413);
});

Deno.test("parseJson - a JSON array where an object is wanted is a 422 on body", async () => {
  const error = await rejection(parseJson(post("[1]"), Schema));
  assert.equal(error.status, 422);
  assert.ok(error.fields?.body);
});

Deno.test("parseQuery - coerces and keeps repeated keys", () => {
  const q = parseQuery(
    new URL("http://x/?limit=5&tag=a&tag=b"),
    z.object({ limit: z.coerce.number(), tag: z.array(z.string()) }),
  );
  assert.deepEqual(q, { limit: 5, tag: ["a", "b"] });
});

Deno.test("parseId - only positive int4 ids pass; others are 404", async () => {
  assert.equal(parseId("42"), 42);
  for (const bad of ["0", "-1", "1.5", "abc", "99999999999", "2147483648", undefined]) {
    assert.equal((await rejection(() => parseId(bad))).status, 404, String(bad));
  }
});

Deno.test("check - passes through the parsed value", () => {
  assert.equal(check(z.coerce.number(), "7"), 7);
});

Deno.test("parseJson - a NUL character is a 422 naming the field, before any query", async () => {
  const error = await rejection(parseJson(post('{"email":"a\\u0000@b.co"}'), Schema));
  assert.equal(error.status, 422);
  assert.deepEqual(error.fields, { email: "must not contain NUL characters" });
});

Deno.test("parseQuery - a NUL character in the query is a 422", async () => {
  const error = await rejection(() => parseQuery(new URL("http://x/?q=a%00b"), z.object({ q: z.string() })));
  assert.equal(error.status, 422);
  assert.ok(error.fields?.q);
});
