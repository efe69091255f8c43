import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { HttpError } from "@/core/http_error.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { closePasswordPool } from "./password_pool.ts";

Deno.test("hashPassword - bcrypt $2b$ at the given cost; verifyPassword checks it", async () => {
  const hash = await hashPassword("correct horse battery", 4);
  assert.match(hash, /^\$2b\$04\$[./A-Za-z0-9]{53}$/);
  assert.equal(await verifyPassword("correct horse battery", hash), true);
  assert.equal(await verifyPassword("Correct horse battery", hash), false);
});

Deno.test("verifyPassword - an existing $2b$ cost-12 hash still verifies", async () => {
  const stored = bcrypt.hashSync("an existing password", 12);
  assert.equal(await verifyPassword("an existing password", stored), true);
  assert.equal(await verifyPassword("an existing passwore", stored), false);
});

Deno.test("verifyPassword - a missing or malformed hash is simply no", async () => {
  assert.equal(await verifyPassword("x", null), false);
  assert.equal(await verifyPassword("x", "$2b$12$hash..."), false);
  assert.equal(await verifyPassword("x", "plain"), false);
});

Deno.test("hashPassword - more than 72 bytes (UTF-8) is a 422 naming the field", async () => {
  await assert.rejects(hashPassword("é".repeat(37), 4), (error: unknown) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 422);
    assert.deepEqual(Object.keys(error.fields ?? {}), ["password"]);
    return true;
  });
  await assert.rejects(hashPassword("x".repeat(73), 4, "new_password"), (error: unknown) => {
    assert.deepEqual(Object.keys((error as HttpError).fields ?? {}), ["new_password"]);
    return true;
  });
  assert.match(await hashPassword("x".repeat(72), 4), /^\$2b\$04\$/);
});

Deno.test("verifyPassword - a password past 72 bytes never matches (no truncation match)", async () => {
  const password = "p".repeat(72);
  const hash = bcrypt.hashSync(password, 4);
  assert.equal(await verifyPassword(password, hash), true);
  assert.equal(await verifyPassword(password + "anything", hash), false);
  closePasswordPool();
});
