/**
 * The root middleware, first for every request: who is calling (session
 * cookie or bearer token), then the route, then the same headers on every
 * answer (request id, security headers), one access-log line and the request
 * metrics. Errors are mapped to answers by the fresh/ layer, below this.
 */
import type { FreshContext } from "@/fresh/types.ts";
import { authenticate } from "@/web/auth.ts";
import { rememberSessionWrite, withReadContext } from "@/db/replicas.ts";
import { recordRequest } from "@/core/metrics.ts";
import { securityHeaderEntries } from "@/web/security_headers.ts";
import type { AppState } from "@/web/state.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export async function handler(ctx: FreshContext<AppState>): Promise<Response> {
  const started = performance.now();
  const auth = await authenticate(ctx.state.app.sql, ctx.req);
  if (auth) Object.assign(ctx.state, auth);
  const res = mutable(await withReadContext(ctx.req.method, auth?.wroteLsn, () => ctx.next()));
  if (auth && !SAFE_METHODS.has(ctx.req.method) && res.status < 400) {
    await rememberSessionWrite(auth.sessionId);
  }
  const { config, log } = ctx.state.app;
  for (const [name, value] of securityHeaderEntries(config.env === "production")) {
    if (!res.headers.has(name)) res.headers.set(name, value);
  }
  res.headers.set("x-request-id", ctx.state.requestId);
  const ms = performance.now() - started;
  recordRequest(routeLabel(ctx), ctx.req.method, res.status, ms);
  if (ctx.url.pathname !== "/healthz") {
    log.info("request", {
      requestId: ctx.state.requestId,
      method: ctx.req.method,
      path: ctx.url.pathname,
      status: res.status,
      ms: Math.round(ms * 10) / 10,
      user_id: ctx.state.user?.id,
    });
  }
  return res;
}

/** `Response.redirect()` and fetched responses have immutable headers: copy those. */
function mutable(res: Response): Response {
  try {
    res.headers.set("x-request-id", "");
    return res;
  } catch {
    return new Response(res.body, res);
  }
}

/** The route pattern (`/api/jobs/:id`), never the raw path, so metric labels stay few. */
function routeLabel(ctx: FreshContext<AppState>): string {
  return ctx.route ?? "unmatched";
}
