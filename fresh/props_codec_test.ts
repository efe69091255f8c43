import assert from "node:assert/strict";
import { h } from "preact";
import { decodeProps, encodeProps, escapeForScript } from "./props_codec.ts";

Deno.test("encodeProps - escapes </script, <!-- and U+2028/U+2029 for a script element", () => {
  const text = encodeProps("Note", { body: "</script><!--\u2028\u2029&" });
  assert.equal(text.includes("<"), false);
  assert.equal(text.includes("\u2028"), false);
  assert.equal(text.includes("\u2029"), false);
  assert.equal(text, '{"body":"\\u003c/script\\u003e\\u003c!--\\u2028\\u2029\\u0026"}');
  assert.deepEqual(decodeProps(text), { body: "</script><!--\u2028\u2029&" });
});

Deno.test("encodeProps - round-trips Dates, nested data and keys that start with $", () => {
  const props = {
    when: new Date("2026-11-27T10:00:00.000Z"),
    list: [1, "two", null, { ok: true }],
    meta: { $date: "not a date", $$x: 1, plain: "y" },
    skipped: undefined,
  };
  const back = decodeProps(encodeProps("Card", props));
  assert.ok(back.when instanceof Date);
  assert.equal((back.when as Date).toISOString(), "2026-11-27T10:00:00.000Z");
  assert.deepEqual(back.list, [1, "two", null, { ok: true }]);
  assert.deepEqual(back.meta, { $date: "not a date", $$x: 1, plain: "y" });
  assert.equal("skipped" in back, false);
});

Deno.test("encodeProps - names the island and prop path of what cannot be serialized", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ onClick: () => {} }, /island "Picker": prop "onClick" cannot be serialized \(function\)/],
    [{ a: { b: [0, Symbol("s")] } }, /prop "a\.b\[1\]" cannot be serialized \(symbol\)/],
    [{ n: 10n }, /prop "n" cannot be serialized \(bigint\)/],
    [{ c: cyclic }, /prop "c\.self" cannot be serialized \(cyclic reference\)/],
    [{ m: new Map() }, /prop "m" cannot be serialized \(instance of Map\)/],
    [{ x: NaN }, /non-finite number/],
    [{ children: h("b", null) }, /prop "children" cannot be serialized \(JSX element/],
  ];
  for (const [props, message] of cases) assert.throws(() => encodeProps("Picker", props), message);
});

Deno.test("encodeProps - allows the same object twice when it is not a cycle", () => {
  const shared = { id: 1 };
  assert.deepEqual(decodeProps(encodeProps("List", { a: shared, b: [shared] })), {
    a: { id: 1 },
    b: [{ id: 1 }],
  });
});

Deno.test("escapeForScript - leaves plain JSON unchanged", () => {
  assert.equal(escapeForScript('{"a":"b"}'), '{"a":"b"}');
});
