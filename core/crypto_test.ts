import assert from "node:assert/strict";
import { hmacSha256Hex, randomToken, sha256Hex, timingSafeEqual } from "./crypto.ts";

Deno.test("timingSafeEqual - equal only for identical strings", () => {
  assert.equal(timingSafeEqual("abc", "abc"), true);
  assert.equal(timingSafeEqual("abc", "abd"), false);
  assert.equal(timingSafeEqual("abc", "abcd"), false);
  assert.equal(timingSafeEqual("", ""), true);
});

Deno.test("hmacSha256Hex - matches the RFC 4231 test case 2", async () => {
  assert.equal(
    await hmacSha256Hex("Jefe", "what do ya want for nothing?"),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
});

Deno.test("sha256Hex - hashes the empty string to the known digest", async () => {
  assert.equal(await sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});

Deno.test("randomToken - 43 url-safe characters, never repeated", () => {
  const a = randomToken();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, randomToken());
});

Deno.test("sha256Hex - the same digest as WebCrypto's, for tokens and non-ASCII text", async () => {
  for (const text of ["abc", "Zm9vYmFyYmF6cXV4LXRva2VuLTEyMzQ1Njc4OTA", "Grüße, 東京 🚀", "x".repeat(1000)]) {
    const web = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    const hex = Array.from(new Uint8Array(web), (b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(await sha256Hex(text), hex, text);
  }
});
