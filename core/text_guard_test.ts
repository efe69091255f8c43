import assert from "node:assert/strict";
import { assertHeaderValue, assertStorableParams, findBadText, storableCopy } from "./text_guard.ts";
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

Deno.test("findBadText - a lone surrogate in a value or a key is named; a pair is fine", () => {
  assert.deepEqual(findBadText({ roles: ["ok", "\ud800"] }), {
    path: "roles.1",
    message: "must not contain lone UTF-16 surrogates",
  });
  assert.equal(findBadText({ ["\udfff"]: 1 })?.path, "body");
  assert.equal(findBadText({ emoji: "\ud83d\ude00" }), undefined);
});

Deno.test("assertHeaderValue - CR, LF, TAB, NUL and characters past U+00FF are a 400 naming the field", () => {
  for (const bad of ["/a\r\nSet-Cookie: x=y", "/\t/evil.example", "/a\0", "/caf\u0113", "/\u0085"]) {
    assert.throws(
      () => assertHeaderValue("location", bad),
      (e) => e instanceof HttpError && e.status === 400 && typeof e.fields?.location === "string",
      JSON.stringify(bad),
    );
  }
  assert.equal(assertHeaderValue("location", "/jobs?q=caf%C3%A9"), "/jobs?q=caf%C3%A9");
});

Deno.test("storableCopy - drops NUL and replaces lone surrogates, in keys and values, at any depth", () => {
  assert.deepEqual(storableCopy({ "k\0": ["a\0b", { x: "\ud800y" }], n: 1, z: null }), {
    k: ["ab", { x: "\ufffdy" }],
    n: 1,
    z: null,
  });
  let deep: unknown = "x";
  for (let i = 0; i < 10_000; i++) deep = [deep];
  assert.doesNotThrow(() => storableCopy(deep));
});
