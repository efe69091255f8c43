/**
 * Answers one request: built files and `static/` first, then the matching route behind its middleware
 * chain (outer folders first). Method handling lives here: HEAD is served by GET without a body, and a
 * method the route does not export is a 405 with an `Allow` header. Every error goes to the app's
 * `onError` (fresh/errors.ts); the 404 and 405 found here are made by the app's `httpError`.
 */
import { BUILD_PREFIX, type ClientBuild, serveBuilt } from "./assets.ts";
import type { ErrorContext, ErrorHandler, HttpErrorFactory } from "./errors.ts";
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
  onError: ErrorHandler<State>;
  httpError: HttpErrorFactory;
}

/** Creates the app's request handler: `Deno.serve`'s, with the connection info as its second argument. */
export function createDispatcher<State>(
  deps: DispatchDeps<State>,
): (req: Request, info?: Deno.ServeHandlerInfo) => Promise<Response> {
  return async (req, info) => {
    const url = new URL(req.url);
    const res = await answer(deps, req, url, info);
    return req.method === "HEAD" && res.body ? new Response(null, res) : res;
  };
}

async function answer<State>(
  deps: DispatchDeps<State>,
  req: Request,
  url: URL,
  info: Deno.ServeHandlerInfo | undefined,
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
  const fail = (err: unknown, state: State | undefined): Response => {
    const ctx: ErrorContext<State> = {
      req,
      url,
      params,
      state,
      renderErrorPage: (status, message, headers) =>
        deps.renderer.errorPage({ data: undefined, url, params, state, error: { status, message } }, headers),
    };
    return deps.onError(err, ctx);
  };
  let state: State;
  try {
    state = deps.initState(req);
  } catch (err) {
    return fail(err, undefined);
  }

  let index = -1;
  const run = async (i: number): Promise<Response> => {
    index = i;
    if (i < middlewares.length) return checked(await middlewares[i](ctx), "middleware", url);
    if (i === middlewares.length && match) {
      const route = await ensureRoute(match.route);
      return checked(await runRoute(route, ctx, deps.httpError), match.route.file, url);
    }
    throw deps.httpError(404, "not found");
  };
  const ctx: FreshContext<State> = {
    req,
    url,
    params,
    state,
    info,
    route: match?.route.pattern,
    // An error below a middleware reaches it as the mapped answer, so outer middleware (logging, headers,
    // metrics) sees every outcome as a Response.
    next: () => run(index + 1).catch((err) => fail(err, ctx.state)),
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
    return fail(err, ctx.state);
  }
}

/** Calls the route's handler for the request method, or renders its page for GET/HEAD. */
function runRoute<State>(
  route: Route,
  ctx: FreshContext<State>,
  httpError: HttpErrorFactory,
): Response | Promise<Response> {
  const method = ctx.req.method;
  const handler = route.handler;
  if (typeof handler === "function") return handler(ctx);
  if (handler) {
    const fn = handler[method as Method] ?? (method === "HEAD" ? handler.GET : undefined);
    if (fn) return fn(ctx);
  } else if (method === "GET" || method === "HEAD") {
    return ctx.render();
  }
  throw httpError(405, `${method} is not allowed here`, { allow: allowedMethods(route) });
}

/** The `Allow` header of a route: its handler's methods (GET alone for a page), HEAD wherever GET is. */
function allowedMethods(route: Route): string {
  const allowed = new Set<Method>(route.handler ? Object.keys(route.handler) as Method[] : ["GET"]);
  if (allowed.has("GET")) allowed.add("HEAD");
  return METHODS.filter((m) => allowed.has(m)).join(", ");
}

function checked(res: unknown, who: string, url: URL): Response {
  if (res instanceof Response) return res;
  throw new Error(`${who} returned no Response for ${url.pathname}`);
}
