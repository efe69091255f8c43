/**
 * Password hashing with bcrypt (`$2b$`): cost 12 in every environment but `test`, where cost 4 keeps the
 * suite fast. The cost is read from each stored hash on verify, so a change of cost needs no migration.
 * The work runs in worker threads (services/accounts/password_pool.ts), never on the event loop.
 *
 * The app holds one `Passwords` (the app context's `passwords`, made by app/context.ts): its worker pool
 * and its throwaway timing hash live as long as the app.
 */
import { HttpError } from "@/core/http_error.ts";
import { MAX_PASSWORD_BYTES } from "@/core/auth_schemas.ts";
import { PasswordPool } from "./password_pool.ts";

/** The bcrypt cost for an environment (`Config.env`). */
export function passwordCost(env: string): number {
  return env === "test" ? 4 : 12;
}

/** UTF-8 length of a password, the unit bcrypt's 72-byte limit counts in. */
export function passwordBytes(password: string): number {
  return new TextEncoder().encode(password).length;
}

/** Hashes and checks passwords on one worker pool. */
export class Passwords {
  #dummy: Promise<string> | undefined;

  /** `cost`: the bcrypt cost of new hashes (`passwordCost(config.env)`). */
  constructor(readonly cost: number, readonly pool: PasswordPool = new PasswordPool()) {}

  /**
   * Hashes a password for storage. A password past 72 bytes is a 422 naming `field`: bcrypt would silently
   * ignore the rest, so any suffix would then sign in.
   */
  async hash(password: string, cost = this.cost, field = "password"): Promise<string> {
    if (passwordBytes(password) > MAX_PASSWORD_BYTES) {
      throw new HttpError(422, "invalid values", {
        fields: { [field]: `must be at most ${MAX_PASSWORD_BYTES} bytes` },
      });
    }
    return String(await this.pool.run({ op: "hash", password, cost }));
  }

  /**
   * Verifies a password; a missing or malformed hash is simply "no", and so is a password past 72 bytes
   * (it can never have been stored, and bcrypt would compare only its first 72 bytes).
   */
  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    if (!hash || !/^\$2[aby]\$\d\d\$/.test(hash)) return false;
    if (passwordBytes(password) > MAX_PASSWORD_BYTES) {
      await this.burn(password);
      return false;
    }
    try {
      return (await this.pool.run({ op: "compare", password, hash })) === true;
    } catch (error) {
      if (error instanceof HttpError) throw error; // the pool is full: a 503, not a wrong password
      return false;
    }
  }

  /**
   * Spends the time of one verification against a throwaway hash: a login for an unknown email then takes
   * as long as one with a wrong password, so timing does not reveal which emails have accounts.
   */
  async burn(password: string): Promise<void> {
    this.#dummy ??= this.hash("roleferry-timing-equaliser").catch((error) => {
      this.#dummy = undefined;
      throw error;
    });
    await this.pool.run({
      op: "compare",
      password: password.slice(0, MAX_PASSWORD_BYTES),
      hash: await this.#dummy,
    });
  }

  /** Stops the workers (a process that exits needs not call it). */
  close(): void {
    this.pool.close();
  }
}
