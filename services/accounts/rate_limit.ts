/**
 * Rate limits of sign-in, sign-up and the admin token, counted in PostgreSQL (db/rate_limits.ts) so that
 * every app process sees the same counts. Over a limit the answer is 429 with `Retry-After`. Every limit
 * here is checked before any password hashing: the cheap work comes first.
 *
 * Login is limited per (email, address) pair, not per email: a stranger's wrong guesses then never lock
 * out the owner, who signs in from another address. Past a ceiling for the email over all addresses,
 * attempts are slowed down, never refused.
 */
import type { Sql } from "@/db/client.ts";
import { clearRateLimit, hitRateLimit, peekRateLimit } from "@/db/rate_limits.ts";
import { HttpError } from "@/core/http_error.ts";
import { normalizeEmail } from "@/db/users.ts";

export interface LoginLimits {
  windowSeconds: number;
  /** Attempts per client address per window: generous, since offices and proxies share addresses. */
  perAddress: number;
  /** Attempts per (email, address) pair per window: tight, the target of password guessing. */
  perPair: number;
  /** Attempts per email over all addresses past which each one waits `slowdownMs` first. */
  emailCeiling: number;
  slowdownMs: number;
  /** Attempts over the whole service per window: bounds the hashing work a botnet can cause. */
  global: number;
}

export const LOGIN_LIMITS: LoginLimits = {
  windowSeconds: 15 * 60,
  perAddress: 50,
  perPair: 10,
  emailCeiling: 30,
  slowdownMs: 3000,
  global: 6000,
};

export interface SignupLimits {
  windowSeconds: number;
  perAddress: number;
  global: number;
}

export const SIGNUP_LIMITS: SignupLimits = { windowSeconds: 60 * 60, perAddress: 20, global: 1000 };

/**
 * The sign-up limits in force for an environment (`Config.env`). Under `test` the per-address limit is
 * lifted to 1,000, since every test file signs its users up from 127.0.0.1; the production values are
 * exercised by tests/auth_flood_test.ts, which runs the app as a production process.
 */
export function signupLimits(env: string): SignupLimits {
  return env === "test" ? { ...SIGNUP_LIMITS, perAddress: 1000 } : SIGNUP_LIMITS;
}

/** Wrong admin tokens per client address per 15 minutes; past it every admin request from there is a 429. */
export const ADMIN_GUESS_LIMIT = { windowSeconds: 15 * 60, perAddress: 10 };

const pairBucket = (email: string, address: string) => `login:pair:${normalizeEmail(email)}|${address}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tooMany(message: string, retryAfter: number): HttpError {
  return new HttpError(429, message, { headers: { "retry-after": String(Math.max(1, retryAfter)) } });
}

interface Rule {
  bucket: string;
  max: number;
}

/** Counts one hit in each bucket; throws one 429 (the longest Retry-After) when any is over its max. */
async function hitAll(sql: Sql, rules: Rule[], windowSeconds: number, message: string): Promise<void> {
  const hits = await Promise.all(rules.map((r) => hitRateLimit(sql, r.bucket, windowSeconds)));
  const over = hits.map((h, i) => (h.hits > rules[i].max ? h.resetIn : 0));
  const retryAfter = Math.max(...over);
  if (retryAfter > 0) throw tooMany(message, retryAfter);
}

/** Counts one login attempt; throws 429 when the address, the pair or the service is over its limit. */
export async function limitLoginAttempt(
  sql: Sql,
  address: string,
  email: string,
  limits = LOGIN_LIMITS,
): Promise<void> {
  // Without a known address (no connection info) one shared bucket would lock everybody out: skip it.
  const rules: Rule[] = [{ bucket: "login:global", max: limits.global }];
  if (address !== "unknown") {
    rules.push({ bucket: `login:ip:${address}`, max: limits.perAddress });
    rules.push({ bucket: pairBucket(email, address), max: limits.perPair });
  }
  const [byEmail] = await Promise.all([
    hitRateLimit(sql, `login:email:${normalizeEmail(email)}`, limits.windowSeconds),
    hitAll(sql, rules, limits.windowSeconds, "too many login attempts; try again later"),
  ]);
  if (byEmail.hits > limits.emailCeiling) await sleep(limits.slowdownMs);
}

/** After a successful login the pair's count starts over (the address and email counts do not). */
export function clearLoginFailures(sql: Sql, email: string, address: string): Promise<void> {
  return clearRateLimit(sql, pairBucket(email, address));
}

/** Counts one sign-up attempt; throws 429 when the address or the service is over its limit. */
export async function limitSignupAttempt(
  sql: Sql,
  address: string,
  limits: SignupLimits,
): Promise<void> {
  const rules: Rule[] = [{ bucket: "signup:global", max: limits.global }];
  if (address !== "unknown") rules.push({ bucket: `signup:ip:${address}`, max: limits.perAddress });
  await hitAll(sql, rules, limits.windowSeconds, "too many sign-ups; try again later");
}

const adminBucket = (address: string) => `admin:guess:${address}`;

/** 429 when the address has used up its wrong admin tokens (checked before comparing the token). */
export async function assertAdminGuessesLeft(
  sql: Sql,
  address: string,
  limits = ADMIN_GUESS_LIMIT,
): Promise<void> {
  const seen = await peekRateLimit(sql, adminBucket(address), limits.windowSeconds);
  if (seen.hits >= limits.perAddress) {
    throw tooMany("too many wrong admin tokens; try again later", seen.resetIn);
  }
}

/** Counts one wrong admin token from `address`. */
export async function countAdminGuess(sql: Sql, address: string, limits = ADMIN_GUESS_LIMIT): Promise<void> {
  await hitRateLimit(sql, adminBucket(address), limits.windowSeconds);
}
