/**
 * Password hashing with bcrypt (`$2b$`): cost 12 in every environment but `test`, where cost 4 keeps the
 * suite fast. The cost is read from each stored hash on verify, so a change of cost needs no migration.
 */
import bcrypt from "bcryptjs";

/** bcrypt only reads the first 72 bytes of a password: longer ones are refused rather than truncated. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_CHARS = 10;

/** The bcrypt cost for the running environment. */
export function passwordCost(): number {
  return Deno.env.get("ROLEFERRY_ENV") === "test" ? 4 : 12;
}

/** Hashes a password for storage. */
export function hashPassword(password: string, cost = passwordCost()): Promise<string> {
  return bcrypt.hash(password, cost);
}

/** Verifies a password; a missing or malformed hash is simply "no". */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash || !/^\$2[aby]\$\d\d\$/.test(hash)) return false;
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one verification against a throwaway hash: a login for an unknown email then takes
 * as long as one with a wrong password, so timing does not reveal which emails have accounts.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword("roleferry-timing-equaliser");
  await bcrypt.compare(password, await dummy);
}
