/**
 * CSRF protection for cookie-authenticated writes. Bearer-token requests need none (a browser never
 * attaches the token by itself). A cookie-authenticated POST/PUT/PATCH/DELETE must
 *
 * 1. come from our own origin when the browser says where it comes from (`Origin`, `Sec-Fetch-Site`), and
 * 2. carry the session's CSRF token: the `x-csrf-token` header (JSON from scripts) or the `_csrf` form field
 *    (forms without JavaScript).
 *
 * The token is HMAC-SHA256(session token, "csrf"): bound to the session, needs no storage, and cannot be
 * computed by another site, which never sees the HttpOnly session cookie.
 */
import { hmacSha256Hex, timingSafeEqual } from "@/core/crypto.ts";
import { HttpError } from "@/core/http_error.ts";
import { MAX_BODY_BYTES } from "@/core/validate.ts";

export const CSRF_HEADER = "x-csrf-token";
export const CSRF_FIELD = "_csrf";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** The CSRF token of the session whose raw token is `sessionToken`. */
export function csrfTokenFor(sessionToken: string): Promise<string> {
  return hmacSha256Hex(sessionToken, "roleferry:csrf");
}

/** True for methods that never change anything. */
export function isSafeMethod(method: string): boolean {
  return SAFE.has(method.toUpperCase());
}

/** Origins accepted for writes: the one the request reached, and the configured public base URL. */
function ownOrigins(req: Request, appBaseUrl: string): Set<string> {
  const origins = new Set([new URL(req.url).origin]);
  try {
    origins.add(new URL(appBaseUrl).origin);
  } catch {
    // no base URL configured (unit tests): the request's own origin is enough
  }
  return origins;
}

/**
 * Refuses a write that a browser says comes from another site. Requests without `Origin` (curl, old
 * browsers on same-origin GET-turned-POST) pass this step; the token check still applies to them.
 */
export function checkOrigin(req: Request, appBaseUrl: string): void {
  if (isSafeMethod(req.method)) return;
  const site = req.headers.get("sec-fetch-site");
  if (site === "cross-site") throw new HttpError(403, "cross-site request refused", { code: "csrf" });
  const origin = req.headers.get("origin");
  if (origin && origin !== "null" && !ownOrigins(req, appBaseUrl).has(origin)) {
    throw new HttpError(403, "cross-origin request refused", { code: "csrf" });
  }
  if (origin === "null") throw new HttpError(403, "request from an opaque origin refused", { code: "csrf" });
}

/**
 * The token a request presents, from the header or (for forms) the `_csrf` field, without consuming the
 * body: a clone is read, under the request's body limit (web/body_limit.ts and `readBody`), so an
 * oversized or endless form is a 413 after at most 1 MiB, never read whole.
 */
async function presentedToken(req: Request): Promise<string | undefined> {
  const header = req.headers.get(CSRF_HEADER);
  if (header) return header;
  const type = req.headers.get("content-type") ?? "";
  const urlencoded = /^application\/x-www-form-urlencoded\b/i.test(type);
  if (!urlencoded && !/^multipart\/form-data\b/i.test(type)) return undefined;
  const bytes = await readCopy(req, MAX_BODY_BYTES);
  try {
    const value = urlencoded
      ? new URLSearchParams(new TextDecoder().decode(bytes)).get(CSRF_FIELD)
      : (await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } })
        .formData()).get(CSRF_FIELD);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * At most `limit` bytes of a copy of the body (413 past it). The copy is a tee branch: cancelling it
 * resolves only once the route's branch is cancelled too, so the cancel is not awaited (a `for await`
 * that breaks out would wait for it forever).
 */
async function readCopy(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new HttpError(413, `request body is larger than ${limit} bytes`);
  const reader = req.clone().body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw new HttpError(413, `request body is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Checks origin and token for a cookie-authenticated write; throws 403 otherwise. */
export async function verifyCsrf(req: Request, sessionToken: string, appBaseUrl: string): Promise<void> {
  if (isSafeMethod(req.method)) return;
  checkOrigin(req, appBaseUrl);
  const presented = await presentedToken(req);
  if (!presented || !timingSafeEqual(presented, await csrfTokenFor(sessionToken))) {
    throw new HttpError(403, "missing or invalid CSRF token", { code: "csrf" });
  }
}
