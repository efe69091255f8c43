import assert from "node:assert/strict";
import { assertStorableParams, findBadText } from "./text_guard.ts";
import { HttpError } from "./http_error.ts";

Deno.test("findBadText - names the path of a NUL in values and keys", () => {
  assert.equal(findBadText({ a: ["ok", "b\0ad"] })?.path, "a.1");
  assert.equal(findBadText({ ["k\0"]: 1 })?.path, "body");
  assert.equal(findBadText({ a: { b: "fine" }, n: 1, z: null }), undefined);
});

Deno.test("findBadText - deep nesting is refused without recursion", () => {
  let deep: unknown = "x";
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(findBadText(deep)?.message, "is nested too deeply");
});

Deno.test("assertStorableParams - a NUL in a query or form is a 422 naming the field", () => {
  assert.throws(
    () => assertStorableParams(new URLSearchParams("q=a%00b")),
    (e) => e instanceof HttpError && e.status === 422 && e.fields?.q === "must not contain NUL characters",
  );
  assertStorableParams(new URLSearchParams("q=fine"));
});
