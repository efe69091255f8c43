/**
 * Mailgun webhook signatures: `signature` is the hex HMAC-SHA256 of
 * `timestamp + token` under the webhook signing key. A signature is accepted
 * once (the token is remembered in PostgreSQL by the caller, see
 * db/webhooks.ts) and only while fresh, so a captured request cannot be
 * replayed later.
 */
import { hmacSha256Hex, timingSafeEqual } from "./crypto.ts";

/** How old a signed timestamp may be (and how far in the future, for clock skew). */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

export interface SignatureFields {
  timestamp: string;
  token: string;
  signature: string;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: "malformed" | "forged" | "stale" };

/**
 * Checks the signature and the timestamp's age (not the replay: that needs
 * the database). Compares in constant time.
 *
 * @example
 * const check = await verifySignature(key, { timestamp, token, signature });
 */
export async function verifySignature(
  key: string,
  fields: Partial<SignatureFields>,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<SignatureCheck> {
  const { timestamp, token, signature } = fields;
  if (
    typeof timestamp !== "string" || typeof token !== "string" || typeof signature !== "string" ||
    !/^\d{1,12}$/.test(timestamp) || token.length < 10 || token.length > 255 ||
    !/^[0-9a-f]{64}$/i.test(signature)
  ) {
    return { ok: false, reason: "malformed" };
  }
  const expected = await hmacSha256Hex(key, timestamp + token);
  if (!timingSafeEqual(expected, signature.toLowerCase())) return { ok: false, reason: "forged" };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS) {
    return { ok: false, reason: "stale" };
  }
  return { ok: true };
}

/** Signs like Mailgun does (tests, and the fake Mailgun). */
export async function signWebhook(
  key: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
  token = crypto.randomUUID().replaceAll("-", "") + crypto.randomUUID().replaceAll("-", ""),
): Promise<SignatureFields> {
  return { timestamp, token, signature: await hmacSha256Hex(key, timestamp + token) };
}
