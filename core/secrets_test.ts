import assert from "node:assert/strict";
import { createSecretBox, decryptSecret, encryptSecret } from "./secrets.ts";

const SECRET = "a-test-master-secret-of-at-least-32-chars";

Deno.test("encryptSecret - round-trips and never stores the plain text", async () => {
  const stored = await encryptSecret("hunter2 ünïcode", SECRET);
  assert.match(stored, /^v1\.[\w-]+\.[\w-]+$/);
  assert.ok(!stored.includes("hunter2"));
  assert.equal(await decryptSecret(stored, SECRET), "hunter2 ünïcode");
});

Deno.test("encryptSecret - uses a fresh IV each time", async () => {
  const a = await encryptSecret("same", SECRET);
  const b = await encryptSecret("same", SECRET);
  assert.notEqual(a, b);
});

Deno.test("decryptSecret - refuses a changed ciphertext or another key", async () => {
  const stored = await encryptSecret("password", SECRET);
  const [v, iv, data] = stored.split(".");
  const flipped = `${v}.${iv}.${data[0] === "A" ? "B" : "A"}${data.slice(1)}`;
  await assert.rejects(() => decryptSecret(flipped, SECRET));
  await assert.rejects(() => decryptSecret(stored, SECRET + "x"));
  await assert.rejects(() => decryptSecret("plain", SECRET), /unknown format/);
});

Deno.test("createSecretBox - opens what encryptSecret sealed, and reads the secret when used", async () => {
  let secret: string | undefined;
  const box = createSecretBox(() => secret);
  await assert.rejects(() => box.encrypt("x"), /no ROLEFERRY_SECRET/);
  secret = SECRET;
  assert.equal(await box.decrypt(await encryptSecret("hunter2", SECRET)), "hunter2");
  assert.equal(await decryptSecret(await box.encrypt("hunter3"), SECRET), "hunter3");
  const sealed = await encryptSecret("y", SECRET);
  secret = SECRET + "x";
  await assert.rejects(() => box.decrypt(sealed));
});
