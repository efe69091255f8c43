/**
 * The one place where errors become answers (registered with the framework as `createApp`'s `onError` and
 * `httpError`, see fresh/errors.ts). Under `/api` and `/webhooks`, and for the machine endpoints `/healthz`
 * and `/metrics`, every error is JSON `{"error": {code, message, fields?, request_id?}}`; elsewhere a 404 is
 * the `_404` page and anything else the `_500` page with its status. Only `HttpError` messages reach
 * clients: any other error answers 500 with "internal error" and is logged with its stack and the request
 * id. A lost database connection is a 503 with `Retry-After`, not a 500.
 */
import { HttpError } from "@/core/http_error.ts";
import { isDatabaseUnavailable } from "@/core/db_errors.ts";
import type { Logger } from "@/core/log.ts";
import type { ErrorContext, ErrorHandler, HttpErrorFactory } from "@/fresh/errors.ts";

/** Paths that answer JSON besides `/api` and `/webhooks`: read by machines, never by a person. */
const MACHINE_PATHS = new Set(["/healthz", "/metrics"]);

/** Paths whose errors (and 404s) are JSON rather than pages: the API, webhooks, and machine endpoints. */
export function isJsonPath(pathname: string): boolean {
  return /^\/(api|webhooks)(\/|$)/.test(pathname) || MACHINE_PATHS.has(pathname);
}

/** The framework's own 404 and 405 as `HttpError`s, so they are mapped like every other error. */
export const httpError: HttpErrorFactory = (status, message, headers) =>
  new HttpError(status, message, { headers });

/** The error hook of the app, logging through `log`. */
export function createErrorHandler(log: Logger): ErrorHandler {
  return (err, ctx) => errorResponse(err, ctx, log);
}

/** Turns anything thrown while answering `ctx.req` into the response the client gets. */
export function errorResponse(err: unknown, ctx: ErrorContext, log: Logger): Response {
  if (isDatabaseUnavailable(err)) {
    err = new HttpError(503, "the database is unavailable; try again shortly", {
      cause: err,
      headers: { "retry-after": "5" },
    });
  }
  const http = err instanceof HttpError ? err : null;
  const status = http && http.status >= 400 && http.status <= 599 ? http.status : 500;
  const requestId = requestIdOf(ctx.state);
  if (!http || status >= 500) {
    log.error("request failed", {
      requestId,
      method: ctx.req.method,
      path: ctx.url.pathname,
      status,
      error: err instanceof Error ? err : String(err),
    });
  }
  const headers = new Headers(http?.headers);
  if (isJsonPath(ctx.url.pathname)) {
    const body = http ? http.toJSON() : { error: { code: "internal", message: "internal error" } };
    if (requestId) Object.assign(body.error, { request_id: requestId });
    headers.set("content-type", "application/json; charset=utf-8");
    return new Response(JSON.stringify(body), { status, headers });
  }
  return ctx.renderErrorPage(status, http ? http.message : "internal error", headers);
}

function requestIdOf(state: unknown): string | undefined {
  const requestId = (state as { requestId?: unknown } | null | undefined)?.requestId;
  return typeof requestId === "string" ? requestId : undefined;
}
