import assert from "node:assert/strict";
import { signWebhook, verifySignature } from "./webhook_signature.ts";
import { hmacSha256Hex } from "./crypto.ts";

const KEY = "key-signing-test";

Deno.test("verifySignature - accepts Mailgun's hex HMAC of timestamp + token", async () => {
  const now = 1_800_000_000;
  const token = "a".repeat(50);
  const signature = await hmacSha256Hex(KEY, `${now}${token}`);
  assert.deepEqual(await verifySignature(KEY, { timestamp: String(now), token, signature }, now), {
    ok: true,
  });
  const upper = { timestamp: String(now), token, signature: signature.toUpperCase() };
  assert.deepEqual(await verifySignature(KEY, upper, now), { ok: true });
});

Deno.test("verifySignature - refuses a signature made with another key or over other fields", async () => {
  const signed = await signWebhook("other-key");
  assert.deepEqual(await verifySignature(KEY, signed), { ok: false, reason: "forged" });
  const mine = await signWebhook(KEY);
  assert.deepEqual(await verifySignature(KEY, { ...mine, token: mine.token + "x" }), {
    ok: false,
    reason: "forged",
  });
});

Deno.test("verifySignature - refuses timestamps more than five minutes away", async () => {
  const now = Math.floor(Date.now() / 1000);
  const old = await signWebhook(KEY, String(now - 301));
  assert.deepEqual(await verifySignature(KEY, old, now), { ok: false, reason: "stale" });
  const future = await signWebhook(KEY, String(now + 301));
  assert.deepEqual(await verifySignature(KEY, future, now), { ok: false, reason: "stale" });
  const recent = await signWebhook(KEY, String(now - 299));
  assert.deepEqual(await verifySignature(KEY, recent, now), { ok: true });
});

Deno.test("verifySignature - calls missing or odd fields malformed", async () => {
  assert.deepEqual(await verifySignature(KEY, {}), { ok: false, reason: "malformed" });
  const signed = await signWebhook(KEY);
  assert.deepEqual(await verifySignature(KEY, { ...signed, signature: "zz" }), {
    ok: false,
    reason: "malformed",
  });
  assert.deepEqual(await verifySignature(KEY, { ...signed, timestamp: "12.5" }), {
    ok: false,
    reason: "malformed",
  });
});
