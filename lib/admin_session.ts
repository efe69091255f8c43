/**
 * Admin sign-in for the admin pages (the API uses the bearer token, lib/admin.ts). The admin types
 * ROLEFERRY_ADMIN_TOKEN into a form once; the cookie then holds an HMAC of it under ROLEFERRY_SECRET, never the
 * token itself, scoped to /admin, HttpOnly and SameSite=Strict (no cross-site request carries it, so the
 * admin forms need no other CSRF token). Changing either secret signs every admin out.
 */
import { config } from "../fresh.config.ts";
import { hmacSha256Hex, timingSafeEqual } from "./crypto.ts";
import { HttpError } from "./http_error.ts";
import { readCookie } from "./auth.ts";

export const ADMIN_COOKIE = "rf_admin";

async function expected(): Promise<string> {
  const { adminToken, secret } = config();
  if (!adminToken || !secret) throw new HttpError(404, "not found");
  return await hmacSha256Hex(secret, `admin-session:${adminToken}`);
}

/** Whether the request is the admin's: the bearer token, or the admin cookie. 404 when admin is off. */
export async function isAdminRequest(req: Request): Promise<boolean> {
  const want = await expected();
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get("authorization") ?? "")?.[1]?.trim();
  if (bearer) return timingSafeEqual(bearer, config().adminToken!);
  const cookie = readCookie(req, ADMIN_COOKIE);
  return Boolean(cookie) && timingSafeEqual(cookie!, want);
}

/** The Set-Cookie for a correct token, or undefined for a wrong one. */
export async function adminLogin(token: string): Promise<string | undefined> {
  const want = await expected();
  if (!timingSafeEqual(token.trim(), config().adminToken!)) return undefined;
  const secure = config().env === "production" ? "; Secure" : "";
  return `${ADMIN_COOKIE}=${want}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=28800${secure}`;
}

export function adminLogoutCookie(): string {
  return `${ADMIN_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`;
}
