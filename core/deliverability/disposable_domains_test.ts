import assert from "node:assert/strict";
import { isDisposableDomain } from "./disposable_domains.ts";

Deno.test("isDisposableDomain - flags listed throw-away domains and their subdomains", () => {
  assert.equal(isDisposableDomain("mailinator.com"), true);
  assert.equal(isDisposableDomain("MAILINATOR.com."), true);
  assert.equal(isDisposableDomain("eu.mailinator.com"), true);
  assert.equal(isDisposableDomain("guerrillamail.com"), true);
});

Deno.test("isDisposableDomain - ordinary company and mail-provider domains are not listed", () => {
  for (const d of ["gmail.com", "example.com", "acme.example", "com"]) {
    assert.equal(isDisposableDomain(d), false, d);
  }
});
