/**
 * Answers one request: built files and `static/` first, then the matching route behind its middleware
 * chain (outer folders first). Method handling lives here: HEAD is served by GET without a body, and a
 * method the route does not export is a 405 with an `Allow` header. Every error goes to `errorResponse`.
 */
import type { Context } from "hono";
import { HttpError } from "@/core/http_error.ts";
import { BUILD_PREFIX, type ClientBuild, serveBuilt } from "./assets.ts";
import { errorResponse } from "./errors.ts";
import type { Renderer } from "./render.ts";
import { splitPath } from "./route_path.ts";
import {
  ensureRoute,
  findRoute,
  METHODS,
  middlewaresFor,
  type Route,
  type RouteTable,
} from "./route_table.ts";
import { serveStatic, type StaticFiles } from "./static_files.ts";
import type { FreshContext, Method } from "./types.ts";

/** Everything a dispatcher needs, all prepared at start. */
export interface DispatchDeps<State> {
  table: RouteTable;
  renderer: Renderer;
  build: ClientBuild | null;
  statics: StaticFiles;
  initState: (req: Request) => State;
}

/** Creates the request handler mounted on Hono for every path. */
export function createDispatcher<State>(deps: DispatchDeps<State>): (c: Context) => Promise<Response> {
  return async (c) => {
    const req = c.req.raw;
    const url = new URL(req.url);
    const res = await answer(deps, c, req, url);
    return req.method === "HEAD" && res.body ? new Response(null, res) : res;
  };
}

async function answer<State>(
  deps: DispatchDeps<State>,
  c: Context,
  req: Request,
  url: URL,
): Promise<Response> {
  if (req.method === "GET" || req.method === "HEAD") {
    if (url.pathname.startsWith(BUILD_PREFIX)) {
      const built = serveBuilt(deps.build, url.pathname.slice(BUILD_PREFIX.length), req.method);
      if (built) return built;
    }
    const file = await serveStatic(deps.statics, url.pathname, req);
    if (file) return file;
  }

  const parts = splitPath(url.pathname);
  const match = findRoute(deps.table, parts);
  const params = match?.params ?? {};
  const middlewares = match ? match.route.middlewares : middlewaresFor(deps.table, parts);
  let state: State;
  try {
    state = deps.initState(req);
  } catch (err) {
    return errorResponse(err, { req, url, params, state: undefined }, deps.renderer);
  }

  let index = -1;
  const run = async (i: number): Promise<Response> => {
    index = i;
    if (i < middlewares.length) return checked(await middlewares[i](ctx), "middleware", url);
    if (i === middlewares.length && match) {
      return checked(await runRoute(await ensureRoute(match.route), ctx), match.route.file, url);
    }
    throw new HttpError(404, "not found");
  };
  const ctx: FreshContext<State> = {
    req,
    url,
    params,
    state,
    hono: c,
    route: match?.route.pattern,
    // An error below a middleware reaches it as the mapped answer, so outer middleware (logging, headers,
    // metrics) sees every outcome as a Response.
    next: () =>
      run(index + 1).catch((err) =>
        errorResponse(err, { req, url, params, state: ctx.state }, deps.renderer)
      ),
    render: (data, init) => {
      if (!match?.route.page) {
        throw new Error(`route ${match?.route.file ?? url.pathname} has no page to render`);
      }
      const { page, layouts } = match.route;
      return deps.renderer.page(page, layouts, { data, url, params, state: ctx.state }, init);
    },
  };
  try {
    return await run(0);
  } catch (err) {
    return errorResponse(err, { req, url, params, state: ctx.state }, deps.renderer);
  }
}

/** Calls the route's handler for the request method, or renders its page for GET/HEAD. */
function runRoute<State>(route: Route, ctx: FreshContext<State>): Response | Promise<Response> {
  const method = ctx.req.method;
  const handler = route.handler;
  if (typeof handler === "function") return handler(ctx);
  if (handler) {
    const fn = handler[method as Method] ?? (method === "HEAD" ? handler.GET : undefined);
    if (fn) return fn(ctx);
  } else if (method === "GET" || method === "HEAD") {
    return ctx.render();
  }
  throw methodNotAllowed(route, method);
}

function methodNotAllowed(route: Route, method: string): HttpError {
  const allowed = new Set<Method>(route.handler ? Object.keys(route.handler) as Method[] : ["GET"]);
  if (allowed.has("GET")) allowed.add("HEAD");
  const allow = METHODS.filter((m) => allowed.has(m)).join(", ");
  return new HttpError(405, `${method} is not allowed here`, { headers: { allow } });
}

function checked(res: unknown, who: string, url: URL): Response {
  if (res instanceof Response) return res;
  throw new Error(`${who} returned no Response for ${url.pathname}`);
}
