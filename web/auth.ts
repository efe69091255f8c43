/**
 * Who is calling. A request is authenticated by `Authorization: Bearer <token>` (API clients) or by the
 * `rf_session` cookie (pages); both carry the same kind of opaque session token, looked up by its SHA-256.
 * Sign-up, log-in and log-out live here too, since they make and end those sessions.
 */
import type { FreshContext } from "@/fresh/types.ts";
import type { Config } from "@/fresh.config.ts";
import type { Sql } from "@/db/client.ts";
import type { AppContext } from "@/services/app_context.ts";
import { readCookie } from "@/core/cookies.ts";
import { createSession, findSessionUser, revokeSession, SESSION_DAYS } from "@/db/sessions.ts";
import { createUser, getUserByEmailForLogin, type PublicUser, touchLastLogin } from "@/db/users.ts";
import { randomToken, sha256Hex } from "@/core/crypto.ts";
import { sendVerification, takenSignupAnswer } from "@/services/accounts/account.ts";
import { csrfTokenFor, verifyCsrf } from "./csrf.ts";
import { HttpError } from "@/core/http_error.ts";
import {
  clearLoginFailures,
  limitLoginAttempt,
  limitSignupAttempt,
  signupLimits,
} from "@/services/accounts/rate_limit.ts";
import type { AppState, SessionUser } from "./state.ts";
import type { PoolInputs } from "@/core/match_pools.ts";

export const SESSION_COOKIE = "rf_session";

export interface Authentication {
  user: SessionUser;
  sessionId: string;
  /** The primary's WAL position after the session's latest write (read-your-writes, db/replicas.ts). */
  wroteLsn: string | null;
  authVia: "bearer" | "cookie";
  /** For cookie sessions: the token pages put in forms (`_csrf`) and scripts in `x-csrf-token`. */
  csrfToken?: string;
  /**
   * The best-match pools' inputs the user's last profile save kept (null: none kept), read by the session
   * lookup at no extra round trip for the job search (db/jobs.ts `JobSearch.pool`).
   */
  matchPool: PoolInputs | null;
}

/** The session token a request presents, and how. A malformed Authorization header counts as none. */
export function readSessionToken(req: Request): { token: string; via: "bearer" | "cookie" } | undefined {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/i.exec(header);
    return match ? { token: match[1], via: "bearer" } : undefined;
  }
  const cookie = readCookie(req, SESSION_COOKIE);
  return cookie && /^[A-Za-z0-9_-]{20,200}$/.test(cookie) ? { token: cookie, via: "cookie" } : undefined;
}

/**
 * Resolves the caller of `req`, or undefined when it presents no live session. Called once per request by
 * the root middleware, which copies the result onto `ctx.state` (user, sessionId, authVia, csrfToken).
 */
export async function authenticate(sql: Sql, req: Request): Promise<Authentication | undefined> {
  const presented = readSessionToken(req);
  if (!presented) return undefined;
  const found = await findSessionUser(sql, await sha256Hex(presented.token));
  if (!found) return undefined;
  return {
    ...found,
    authVia: presented.via,
    csrfToken: presented.via === "cookie" ? await csrfTokenFor(presented.token) : undefined,
  };
}

/**
 * The signed-in user, or a 401. Cookie-authenticated writes must also pass the CSRF check (403). Pages
 * behind `routes/(app)/_middleware.ts` never get here signed out: that middleware redirects to the login.
 */
export async function requireUser(ctx: { req: Request; state: AppState }): Promise<SessionUser> {
  const user = ctx.state.user;
  if (!user) {
    throw new HttpError(401, "sign in required", {
      headers: { "www-authenticate": 'Bearer realm="roleferry"' },
    });
  }
  if (ctx.state.authVia === "cookie") {
    const presented = readSessionToken(ctx.req);
    if (!presented) throw new HttpError(401, "sign in required");
    await verifyCsrf(ctx.req, presented.token, ctx.state.app.config.appBaseUrl);
  }
  return user;
}

/** A 303 to the login page that comes back to `url` afterwards. */
export function redirectToLogin(url: URL): Response {
  const next = url.pathname + url.search;
  return new Response(null, {
    status: 303,
    headers: { location: `/login?next=${encodeURIComponent(next)}` },
  });
}

/**
 * A post-login destination from user input (`?next=`, the forms' `next` field): parsed as a URL against the
 * service's own origin and kept only when it stays there; then only its path, query and fragment, in
 * their ASCII serialization, so nothing but a local path with printable characters reaches `Location`.
 * Control characters (a TAB that browsers strip, turning `/<TAB>/evil.example` into `//evil.example`) are
 * refused outright; anything refused goes home (`/`). `appBaseUrl`: the configuration's (its origin is
 * the service's own); unit tests without one get a placeholder origin.
 */
export function safeNext(next: string | null | undefined, appBaseUrl?: string): string {
  // deno-lint-ignore no-control-regex -- finding control characters is the point
  if (!next || next.length > 2000 || !next.startsWith("/") || /[\u0000-\u001f\u007f]/.test(next)) return "/";
  const base = ownOrigin(appBaseUrl);
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  const local = url.pathname + url.search + url.hash;
  return local.startsWith("/") && !local.startsWith("//") && /^[\x21-\x7e]+$/.test(local) ? local : "/";
}

function ownOrigin(appBaseUrl: string | undefined): string {
  try {
    return new URL(appBaseUrl ?? "").origin;
  } catch {
    return "http://roleferry.invalid"; // no configuration (unit tests)
  }
}

/** The client's address as the server saw it (the connection, not a spoofable header). */
export function clientAddress(ctx: Pick<FreshContext, "info">): string {
  const addr = ctx.info?.remoteAddr as { hostname?: string } | undefined;
  return addr?.hostname ?? "unknown";
}

/** `Set-Cookie` value for a new session. Secure in production (served over HTTPS). */
export function sessionCookie(token: string, config: Pick<Config, "env">): string {
  const secure = isSecureEnv(config) ? "; Secure" : "";
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${
    SESSION_DAYS * 86400
  }${secure}`;
}

/** `Set-Cookie` value that removes the session cookie. */
export function clearedSessionCookie(config: Pick<Config, "env">): string {
  const secure = isSecureEnv(config) ? "; Secure" : "";
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}

function isSecureEnv(config: Pick<Config, "env">): boolean {
  return config.env === "production";
}

export interface ClientMeta {
  address: string;
  userAgent: string | null;
}

export interface SignedIn {
  user: PublicUser;
  token: string;
  sessionId: string;
  cookie: string;
}

async function startSession(app: AppContext, user: PublicUser, meta: ClientMeta): Promise<SignedIn> {
  const token = randomToken();
  const session = await createSession(app.sql, {
    userId: user.id,
    tokenHash: await sha256Hex(token),
    userAgent: meta.userAgent,
    ip: meta.address,
  });
  return { user, token, sessionId: session.id, cookie: sessionCookie(token, app.config) };
}

/** Creates the account, its first session and a verification link (a taken email: see `takenSignupAnswer`). */
export async function signUp(
  app: AppContext,
  input: { email: string; password: string; full_name: string; mode?: "job_seeker" | "recruiter" },
  meta: ClientMeta,
): Promise<SignedIn> {
  await limitSignupAttempt(app.sql, meta.address, signupLimits(app.config.env));
  let user: PublicUser;
  try {
    user = await createUser(app.sql, {
      email: input.email,
      hashed_password: await app.passwords.hash(input.password),
      full_name: input.full_name,
      mode: input.mode,
    });
  } catch (error) {
    // A taken address answers like a new account and its owner gets a notice (issue 9 item 16).
    if (!(error instanceof HttpError && error.status === 409)) throw error;
    const fake = await takenSignupAnswer(app, input);
    return { ...fake, sessionId: "", cookie: sessionCookie(fake.token, app.config) };
  }
  user.last_login = await touchLastLogin(app.sql, user.id);
  const signed = await startSession(app, user, meta);
  await sendVerification(app, user.id, user.email, user.full_name);
  return signed;
}

/**
 * Checks the credentials under the rate limits and opens a session. Unknown email and wrong password
 * give the same 401 after the same work, so the answer does not reveal who has an account.
 */
export async function logIn(
  app: AppContext,
  input: { email: string; password: string },
  meta: ClientMeta,
): Promise<SignedIn> {
  await limitLoginAttempt(app.sql, meta.address, input.email);
  const found = await getUserByEmailForLogin(app.sql, input.email);
  if (!found) {
    await app.passwords.burn(input.password);
    throw new HttpError(401, "wrong email or password", { code: "invalid_credentials" });
  }
  if (!(await app.passwords.verify(input.password, found.hashed_password))) {
    throw new HttpError(401, "wrong email or password", { code: "invalid_credentials" });
  }
  await clearLoginFailures(app.sql, input.email, meta.address);
  const { hashed_password: _, ...user } = found;
  user.last_login = await touchLastLogin(app.sql, user.id);
  return await startSession(app, user, meta);
}

/** Ends the session server-side; its token stops working at once. */
export async function logOut(sql: Sql, sessionId: string | undefined): Promise<void> {
  if (sessionId) await revokeSession(sql, sessionId);
}
