import assert from "node:assert/strict";
import { bounceFixture } from "./bounce.ts";
import { parseAddress } from "@/core/deliverability/email_syntax.ts";

Deno.test("bounceFixture - 8% undeliverable in the five documented ways, deterministic", () => {
  const f = bounceFixture(1000);
  assert.equal(f.length, 1000);
  const bad = f.filter((x) => x.invalid);
  assert.equal(bad.length, 80);
  assert.equal(bad.filter((x) => x.email.endsWith("@nomx.bench.example")).length, 20);
  assert.equal(bad.filter((x) => x.email.endsWith(".bench.invalid")).length, 20);
  assert.equal(bad.filter((x) => x.email.endsWith("@mailinator.com")).length, 10);
  assert.equal(bad.filter((x) => parseAddress(x.email) === null).length, 10);
  assert.equal(bad.filter((x) => x.email.startsWith("gone.person")).length, 20);
  assert.ok(f.filter((x) => !x.invalid).every((x) => parseAddress(x.email) !== null));
  assert.deepEqual(bounceFixture(1000), f);
  assert.equal(new Set(f.map((x) => x.email)).size, 1000);
});
