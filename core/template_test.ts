import assert from "node:assert/strict";
import { render, renderSubject, variablesIn } from "./template.ts";

Deno.test("render - replaces every placeholder with its value", () => {
  const out = render("Hi {{first_name}}, the {{ role }} at {{company}}; bye {{first_name}}", {
    first_name: "Ada",
    role: "Staff Engineer",
    company: "Acme",
  });
  assert.deepEqual(out, { text: "Hi Ada, the Staff Engineer at Acme; bye Ada", missing: [] });
});

Deno.test("render - lists the placeholders without a value and leaves them in place", () => {
  const out = render("{{a}} {{b}} {{c}} {{a}}", { a: "", b: null, c: "  " });
  assert.deepEqual(out.missing, ["a", "b", "c"]);
  assert.equal(out.text, "{{a}} {{b}} {{c}} {{a}}");
});

Deno.test("render - inserts values literally, never expanding placeholders inside values", () => {
  const out = render("{{x}} and {{y}}", { x: "{{y}}", y: "$& $1 $$" });
  assert.deepEqual(out, { text: "{{y}} and $& $1 $$", missing: [] });
});

Deno.test("render - ignores text that is not a placeholder", () => {
  const text = "{{}} {{ 1abc }} {single} {{a-b}} {{";
  assert.deepEqual(render(text, {}), { text, missing: [] });
});

Deno.test("render - does not read inherited properties as values", () => {
  const out = render("{{constructor}} {{toString}}", {});
  assert.deepEqual(out.missing, ["constructor", "toString"]);
});

Deno.test("variablesIn - names each variable once in order of first use", () => {
  assert.deepEqual(variablesIn("{{role}} {{ company }} {{role}} {{my_name}}"), [
    "role",
    "company",
    "my_name",
  ]);
  assert.deepEqual(variablesIn("no variables"), []);
});

Deno.test("renderSubject - folds line breaks so a value cannot inject a header", () => {
  const out = renderSubject("About {{role}}", { role: "Engineer\r\nBcc: victim@example.com" });
  assert.equal(out.text, "About Engineer Bcc: victim@example.com");
  assert.deepEqual(out.missing, []);
});
