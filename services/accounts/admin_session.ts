/**
 * Admin sign-in for the admin pages (the API uses the bearer token, services/accounts/admin.ts). The admin types
 * ROLEFERRY_ADMIN_TOKEN into a form once; the cookie then holds a random session token whose SHA-256 is
 * stored in `admin_sessions` (db/admin_sessions.ts), scoped to /admin, HttpOnly and SameSite=Strict (no
 * cross-site request carries it, so the admin forms need no other CSRF token). "Sign out of admin" revokes
 * the session server-side, and changing either secret ends every admin session. Wrong tokens count against
 * the address's guess limit (services/accounts/rate_limit.ts).
 */
import { hmacSha256Hex, randomToken, sha256Hex, timingSafeEqual } from "@/core/crypto.ts";
import { HttpError } from "@/core/http_error.ts";
import { readCookie } from "@/core/cookies.ts";
import type { AppContext } from "@/services/app_context.ts";
import { assertAdminGuessesLeft, countAdminGuess } from "./rate_limit.ts";
import { createAdminSession, isLiveAdminSession, revokeAdminSession } from "@/db/admin_sessions.ts";

export const ADMIN_COOKIE = "rf_admin";
export const ADMIN_SESSION_SECONDS = 8 * 3600;

function adminSecrets(app: AppContext): { adminToken: string; secret: string } {
  const { adminToken, secret } = app.config;
  if (!adminToken || !secret) throw new HttpError(404, "not found");
  return { adminToken, secret };
}

/** Which admin token a session was made under: a session outlives no change of token or secret. */
function fingerprint(app: AppContext): Promise<string> {
  const { adminToken, secret } = adminSecrets(app);
  return hmacSha256Hex(secret, `admin-session:${adminToken}`);
}

/**
 * Compares a presented admin token under the guess limit: 429 once the address has used up its wrong
 * guesses (the right token included, so a late correct guess is not told apart), and a wrong one counts.
 */
export async function checkAdminToken(app: AppContext, presented: string, address: string): Promise<boolean> {
  const { adminToken } = adminSecrets(app);
  await assertAdminGuessesLeft(app.sql, address);
  if (timingSafeEqual(presented.trim(), adminToken)) return true;
  await countAdminGuess(app.sql, address);
  return false;
}

/**
 * Whether the request is the admin's: the bearer token (already counted against the guess limit by the
 * root middleware, web/admin_guard.ts), or a live admin session cookie. 404 when admin is off.
 */
export async function isAdminRequest(app: AppContext, req: Request): Promise<boolean> {
  const { adminToken } = adminSecrets(app);
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get("authorization") ?? "")?.[1]?.trim();
  if (bearer) return timingSafeEqual(bearer, adminToken);
  const cookie = readCookie(req, ADMIN_COOKIE);
  if (!cookie || !/^[A-Za-z0-9_-]{20,200}$/.test(cookie)) return false;
  return await isLiveAdminSession(app.sql, await sha256Hex(cookie), await fingerprint(app));
}

/** The Set-Cookie of a new admin session for a correct token, or undefined for a wrong one. */
export async function adminLogin(
  app: AppContext,
  token: string,
  address = "unknown",
): Promise<string | undefined> {
  if (!(await checkAdminToken(app, token, address))) return undefined;
  const raw = randomToken();
  await createAdminSession(app.sql, {
    tokenHash: await sha256Hex(raw),
    fingerprint: await fingerprint(app),
    seconds: ADMIN_SESSION_SECONDS,
    ip: address,
  });
  const secure = app.config.env === "production" ? "; Secure" : "";
  return `${ADMIN_COOKIE}=${raw}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${ADMIN_SESSION_SECONDS}${secure}`;
}

/** Ends the request's admin session server-side; returns the Set-Cookie that removes the cookie. */
export async function adminLogout(app: AppContext, req: Request): Promise<string> {
  const cookie = readCookie(req, ADMIN_COOKIE);
  if (cookie && /^[A-Za-z0-9_-]{20,200}$/.test(cookie)) {
    await revokeAdminSession(app.sql, await sha256Hex(cookie));
  }
  return adminLogoutCookie();
}

export function adminLogoutCookie(): string {
  return `${ADMIN_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`;
}
