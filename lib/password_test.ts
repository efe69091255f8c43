import assert from "node:assert/strict";
import { hashPassword, verifyPassword } from "./password.ts";

Deno.test("hashPassword - bcrypt $2b$ at the given cost; verifyPassword checks it", async () => {
  const hash = await hashPassword("correct horse battery", 4);
  assert.match(hash, /^\$2b\$04\$[./A-Za-z0-9]{53}$/);
  assert.equal(await verifyPassword("correct horse battery", hash), true);
  assert.equal(await verifyPassword("Correct horse battery", hash), false);
});

Deno.test("verifyPassword - a missing or malformed hash is simply no", async () => {
  assert.equal(await verifyPassword("x", null), false);
  assert.equal(await verifyPassword("x", "$2b$12$hash..."), false);
  assert.equal(await verifyPassword("x", "plain"), false);
});
