import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { HttpError } from "@/core/http_error.ts";
import { Passwords } from "./password.ts";
import { type JobInput, PasswordPool } from "./password_pool.ts";

/** One pool for the file, closed by the last test. */
const passwords = new Passwords(4);

Deno.test("Passwords.hash - bcrypt $2b$ at the given cost; verify checks it", async () => {
  const hash = await passwords.hash("correct horse battery", 4);
  assert.match(hash, /^\$2b\$04\$[./A-Za-z0-9]{53}$/);
  assert.equal(await passwords.verify("correct horse battery", hash), true);
  assert.equal(await passwords.verify("Correct horse battery", hash), false);
});

Deno.test("Passwords.verify - an existing $2b$ cost-12 hash still verifies", async () => {
  const stored = bcrypt.hashSync("an existing password", 12);
  assert.equal(await passwords.verify("an existing password", stored), true);
  assert.equal(await passwords.verify("an existing passwore", stored), false);
});

Deno.test("Passwords.verify - a missing or malformed hash is simply no", async () => {
  assert.equal(await passwords.verify("x", null), false);
  assert.equal(await passwords.verify("x", "$2b$12$hash..."), false);
  assert.equal(await passwords.verify("x", "plain"), false);
});

Deno.test("Passwords.hash - more than 72 bytes (UTF-8) is a 422 naming the field", async () => {
  await assert.rejects(passwords.hash("é".repeat(37), 4), (error: unknown) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 422);
    assert.deepEqual(Object.keys(error.fields ?? {}), ["password"]);
    return true;
  });
  await assert.rejects(passwords.hash("x".repeat(73), 4, "new_password"), (error: unknown) => {
    assert.deepEqual(Object.keys((error as HttpError).fields ?? {}), ["new_password"]);
    return true;
  });
  assert.match(await passwords.hash("x".repeat(72), 4), /^\$2b\$04\$/);
});

/** A pool that notes the jobs it runs. */
class CountingPool extends PasswordPool {
  ops: string[] = [];
  override run(input: JobInput): Promise<string | boolean> {
    this.ops.push(input.op);
    return super.run(input);
  }
}

Deno.test("Passwords.burn - one compare against a throwaway hash made once per Passwords", async () => {
  const pool = new CountingPool(1);
  const own = new Passwords(4, pool);
  try {
    await own.burn("whatever");
    assert.deepEqual(pool.ops, ["hash", "compare"]);
    await own.burn("p".repeat(200)); // cut to 72 bytes, as bcrypt would
    assert.deepEqual(pool.ops, ["hash", "compare", "compare"]);
    assert.equal(await own.verify("p".repeat(73), "$2b$04$" + "a".repeat(53)), false);
    assert.deepEqual(pool.ops.slice(3), ["compare"], "a too long password costs one compare too");
  } finally {
    own.close();
  }
});

Deno.test("Passwords.verify - a password past 72 bytes never matches (no truncation match)", async () => {
  const password = "p".repeat(72);
  const hash = bcrypt.hashSync(password, 4);
  assert.equal(await passwords.verify(password, hash), true);
  assert.equal(await passwords.verify(password + "anything", hash), false);
  passwords.close();
});
