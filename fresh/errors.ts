/**
 * The one place where errors become answers. Under `/api` and `/webhooks` every error is JSON
 * `{"error": {code, message, fields?}}`; elsewhere a 404 is the `_404` page and anything else the `_500`
 * page with its status. Only `HttpError` messages reach clients: any other error answers 500 with
 * "internal error" and is logged with its stack (and the request id, when middleware set one).
 */
import { HttpError } from "@/core/http_error.ts";
import { isDatabaseUnavailable } from "@/core/db_errors.ts";
import { log } from "@/core/log.ts";
import type { Renderer } from "./render.ts";

/** Paths whose errors (and 404s) are JSON rather than pages: the API, webhooks, and machine endpoints. */
export function isJsonPath(pathname: string): boolean {
  return /^\/(api|webhooks)(\/|$)/.test(pathname) || pathname === "/healthz" || pathname === "/metrics";
}

/** What the mapper needs to know about the failed request. */
export interface ErrorRequest {
  req: Request;
  url: URL;
  params: Record<string, string>;
  state: unknown;
}

/** Turns anything thrown while answering `request` into the response the client gets. */
export function errorResponse(err: unknown, request: ErrorRequest, renderer: Renderer): Response {
  if (isDatabaseUnavailable(err)) {
    err = new HttpError(503, "the database is unavailable; try again shortly", {
      cause: err,
      headers: { "retry-after": "5" },
    });
  }
  const http = err instanceof HttpError ? err : null;
  const status = http && http.status >= 400 && http.status <= 599 ? http.status : 500;
  if (!http || status >= 500) logError(err, request, status);
  const headers = new Headers(http?.headers);
  if (isJsonPath(request.url.pathname)) {
    const body = http ? http.toJSON() : { error: { code: "internal", message: "internal error" } };
    const requestId = (request.state as { requestId?: unknown } | null | undefined)?.requestId;
    if (typeof requestId === "string") Object.assign(body.error, { request_id: requestId });
    headers.set("content-type", "application/json; charset=utf-8");
    return new Response(JSON.stringify(body), { status, headers });
  }
  const message = http ? http.message : "internal error";
  const { url, params, state } = request;
  return renderer.errorPage({ data: undefined, url, params, state, error: { status, message } }, headers);
}

function logError(err: unknown, request: ErrorRequest, status: number): void {
  const state = request.state as { requestId?: unknown } | null | undefined;
  const requestId = typeof state?.requestId === "string" ? state.requestId : undefined;
  log.error("request failed", {
    requestId,
    method: request.req.method,
    path: request.url.pathname,
    status,
    error: err instanceof Error ? err : String(err),
  });
}
