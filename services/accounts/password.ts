/**
 * Password hashing with bcrypt (`$2b$`): cost 12 in every environment but `test`, where cost 4 keeps the
 * suite fast. The cost is read from each stored hash on verify, so a change of cost needs no migration.
 * The work runs in worker threads (services/accounts/password_pool.ts), never on the event loop.
 */
import { HttpError } from "@/core/http_error.ts";
import { runPasswordJob } from "./password_pool.ts";

/** bcrypt only reads the first 72 bytes of a password: longer ones are refused rather than truncated. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_CHARS = 10;

/** The bcrypt cost for the running environment. */
export function passwordCost(): number {
  return Deno.env.get("ROLEFERRY_ENV") === "test" ? 4 : 12;
}

/** UTF-8 length of a password, the unit bcrypt's 72-byte limit counts in. */
export function passwordBytes(password: string): number {
  return new TextEncoder().encode(password).length;
}

/**
 * Hashes a password for storage. A password past 72 bytes is a 422 naming `field`: bcrypt would silently
 * ignore the rest, so any suffix would then sign in.
 */
export async function hashPassword(
  password: string,
  cost = passwordCost(),
  field = "password",
): Promise<string> {
  if (passwordBytes(password) > MAX_PASSWORD_BYTES) {
    throw new HttpError(422, "invalid values", {
      fields: { [field]: `must be at most ${MAX_PASSWORD_BYTES} bytes` },
    });
  }
  return String(await runPasswordJob({ op: "hash", password, cost }));
}

/**
 * Verifies a password; a missing or malformed hash is simply "no", and so is a password past 72 bytes
 * (it can never have been stored, and bcrypt would compare only its first 72 bytes).
 */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash || !/^\$2[aby]\$\d\d\$/.test(hash)) return false;
  if (passwordBytes(password) > MAX_PASSWORD_BYTES) {
    await burnPasswordCheck(password);
    return false;
  }
  try {
    return (await runPasswordJob({ op: "compare", password, hash })) === true;
  } catch (error) {
    if (error instanceof HttpError) throw error; // the pool is full: a 503, not a wrong password
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one verification against a throwaway hash: a login for an unknown email then takes
 * as long as one with a wrong password, so timing does not reveal which emails have accounts.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword("roleferry-timing-equaliser").catch((error) => {
    dummy = undefined;
    throw error;
  });
  await runPasswordJob({ op: "compare", password: password.slice(0, MAX_PASSWORD_BYTES), hash: await dummy });
}
