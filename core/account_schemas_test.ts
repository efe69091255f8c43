import assert from "node:assert/strict";
import { AdminUserBody, isIanaZone, PasswordResetConfirmBody, UpdateMeBody } from "./account_schemas.ts";

Deno.test("isIanaZone - IANA names the runtime knows, nothing else", () => {
  assert.equal(isIanaZone("Europe/Berlin"), true);
  assert.equal(isIanaZone("UTC"), true);
  assert.equal(isIanaZone("Mars/Olympus"), false);
  assert.equal(isIanaZone(""), false);
});

Deno.test("UpdateMeBody - trims, checks each field, refuses unknown ones", () => {
  assert.deepEqual(UpdateMeBody.parse({ full_name: "  Ada ", email: " Ada@X.io " }), {
    full_name: "Ada",
    email: "Ada@X.io",
  });
  assert.equal(UpdateMeBody.safeParse({ email: "nope" }).success, false);
  assert.equal(UpdateMeBody.safeParse({ mode: "recruiter" }).success, false, "mode is not changed here");
});

Deno.test("PasswordResetConfirmBody - a new password of 10 characters up to 72 bytes", () => {
  assert.equal(PasswordResetConfirmBody.safeParse({ token: "t", password: "short" }).success, false);
  assert.equal(PasswordResetConfirmBody.safeParse({ token: "t", password: "é".repeat(40) }).success, false);
  assert.equal(PasswordResetConfirmBody.safeParse({ token: "t", password: "long-enough-pw" }).success, true);
});

Deno.test("AdminUserBody - a known tier and a non-negative integer balance", () => {
  assert.equal(AdminUserBody.safeParse({ subscription_tier: "pro", credits_remaining: 10 }).success, true);
  assert.equal(AdminUserBody.safeParse({ subscription_tier: "gold" }).success, false);
  assert.equal(AdminUserBody.safeParse({ credits_remaining: 1.5 }).success, false);
});
