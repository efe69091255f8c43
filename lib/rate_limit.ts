/**
 * Login rate limits, per client address and per email, counted in PostgreSQL (db/rate_limits.ts) so that
 * every app process sees the same counts. Over the limit the answer is 429 with `Retry-After`.
 */
import { clearRateLimit, hitRateLimit } from "../db/rate_limits.ts";
import { HttpError } from "./http_error.ts";
import { normalizeEmail } from "../db/users.ts";

export interface LoginLimits {
  windowSeconds: number;
  /** Attempts per client address per window: generous, since offices and proxies share addresses. */
  perAddress: number;
  /** Attempts per email per window: tight, the target of password guessing. */
  perEmail: number;
}

export const LOGIN_LIMITS: LoginLimits = { windowSeconds: 15 * 60, perAddress: 50, perEmail: 10 };

const emailBucket = (email: string) => `login:email:${normalizeEmail(email)}`;

/** Counts one login attempt; throws 429 when the address or the email is over its limit. */
export async function limitLoginAttempt(
  address: string,
  email: string,
  limits = LOGIN_LIMITS,
): Promise<void> {
  // Without a known address (no connection info) one shared bucket would lock everybody out: skip it.
  const [byAddress, byEmail] = await Promise.all([
    address === "unknown"
      ? { hits: 0, resetIn: 0 }
      : hitRateLimit(`login:ip:${address}`, limits.windowSeconds),
    hitRateLimit(emailBucket(email), limits.windowSeconds),
  ]);
  const over = [
    byAddress.hits > limits.perAddress ? byAddress.resetIn : 0,
    byEmail.hits > limits.perEmail ? byEmail.resetIn : 0,
  ];
  const retryAfter = Math.max(...over);
  if (retryAfter > 0) {
    throw new HttpError(429, "too many login attempts; try again later", {
      headers: { "retry-after": String(retryAfter) },
    });
  }
}

/** After a successful login the email's count starts over (the address count does not). */
export function clearLoginFailures(email: string): Promise<void> {
  return clearRateLimit(emailBucket(email));
}
