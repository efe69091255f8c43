import assert from "node:assert/strict";
import { MailboxAddress, SuggestQuery } from "./schemas.ts";

Deno.test("MailboxAddress - takes IDN and undeliverable addresses as typed, refuses bad syntax and the placeholder", () => {
  assert.equal(MailboxAddress.parse(" bea@bücher.example "), "bea@bücher.example");
  assert.equal(MailboxAddress.parse("nobody@nowhere.example"), "nobody@nowhere.example");
  for (const bad of ["x@@y", "pending-1@address-pending.invalid", "a".repeat(250) + "@b.example", 42]) {
    assert.equal(MailboxAddress.safeParse(bad).success, false, String(bad));
  }
});

Deno.test("SuggestQuery - a domain name (IDN allowed), lower-cased; a name is required", () => {
  assert.deepEqual(SuggestQuery.parse({ full_name: "Ada Lovelace", domain: "Acme.Example" }), {
    full_name: "Ada Lovelace",
    domain: "acme.example",
  });
  assert.equal(SuggestQuery.safeParse({ full_name: "A B", domain: "bücher.example" }).success, true);
  assert.equal(SuggestQuery.safeParse({ full_name: "A B", domain: "no_underscore.example" }).success, false);
  assert.equal(SuggestQuery.safeParse({ full_name: "A B", domain: "localhost" }).success, false);
  assert.equal(SuggestQuery.safeParse({ domain: "acme.example" }).success, false);
});
