import assert from "node:assert/strict";
import { errorFor, lines, optionalInt, readForm } from "./page_forms.ts";
import { HttpError } from "./http_error.ts";

Deno.test("lines - one item per line (or comma), trimmed, empties dropped", () => {
  const form = new URLSearchParams({ roles: " a \r\n\nb\n", skills: "Go, Rust,\n k8s ,," });
  assert.deepEqual(lines(form, "roles"), ["a", "b"]);
  assert.deepEqual(lines(form, "skills", true), ["Go", "Rust", "k8s"]);
  assert.deepEqual(lines(form, "missing"), []);
});

Deno.test("optionalInt - empty is null, digits (with thousands commas) a number, the rest passed on", () => {
  const form = new URLSearchParams({ a: "", b: "120,000", c: "lots", d: "-5" });
  assert.equal(optionalInt(form, "a"), null);
  assert.equal(optionalInt(form, "b"), 120000);
  assert.equal(optionalInt(form, "c"), "lots");
  assert.equal(optionalInt(form, "d"), "-5");
});

Deno.test("optionalInt - money as people type it: 180k, 180,000, $180,000, 1.2m", () => {
  const form = new URLSearchParams({
    a: "180k",
    b: "180,000",
    c: "$180,000",
    d: "1.2m",
    e: "€ 95K",
    f: "12.5",
  });
  assert.equal(optionalInt(form, "a"), 180000);
  assert.equal(optionalInt(form, "b"), 180000);
  assert.equal(optionalInt(form, "c"), 180000);
  assert.equal(optionalInt(form, "d"), 1200000);
  assert.equal(optionalInt(form, "e"), 95000);
  assert.equal(optionalInt(form, "f"), "12.5", "not a whole number: left for zod to refuse");
});

Deno.test("errorFor - the field's own message or its first item's", () => {
  assert.equal(errorFor({ "skills.2": "too long" }, "skills"), "too long");
  assert.equal(errorFor({ email: "taken" }, "email"), "taken");
  assert.equal(errorFor(undefined, "email"), undefined);
});

Deno.test("readForm - only urlencoded forms", async () => {
  const ok = new Request("http://x/", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "a=1",
  });
  assert.equal((await readForm(ok)).get("a"), "1");
  const json = new Request("http://x/", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  await assert.rejects(() => readForm(json), (e) => e instanceof HttpError && e.status === 415);
});
