/**
 * `createApp`: everything that happens once at start. Islands are imported and registered, the client
 * build is checked (and made, when allowed), `routes/` is crawled into the route table and `static/` is
 * indexed. Requests then only match and run: nothing is crawled or built per request, and with `lazyRoutes`
 * a route module is imported once, by the first request that needs it (or by `warm()`).
 */
import { Hono } from "hono";
import { prepareClientBuild } from "./assets.ts";
import { createDispatcher } from "./dispatch.ts";
import { loadIslands } from "./islands.ts";
import { createRenderer } from "./render.ts";
import { loadRoutes, warmRoutes } from "./route_table.ts";
import { indexStaticFiles } from "./static_files.ts";

/** Options of {@link createApp}. Directories are absolute paths. */
export interface AppOptions<State> {
  routesDir: string;
  islandsDir: string;
  staticDir: string;
  /** Where the client build lives (served under `/_frsh/js/`); may sit inside `staticDir`. */
  buildDir: string;
  /** `ifMissing` (default): build when missing or stale; `always`; `never`: the build must exist. */
  build?: "ifMissing" | "always" | "never";
  /** The start value of `ctx.state` for each request (default: `{}`). */
  initState?: (req: Request) => State;
  /** Import route modules on their first request instead of at start (call `warm()` later). */
  lazyRoutes?: boolean;
}

/** The app: the Hono instance (an escape hatch, e.g. for `Deno.serve(app.fetch)`) and its fetch handler. */
export interface FreshApp {
  app: Hono;
  /** `info` (Deno.serve's second argument) becomes Hono's `c.env`, so handlers can read `remoteAddr`. */
  fetch: (req: Request, info?: Deno.ServeHandlerInfo) => Promise<Response>;
  /** Imports the route modules not imported yet (with `lazyRoutes`); answers one error per bad module. */
  warm: () => Promise<Error[]>;
}

/**
 * Builds the app from its folders. Any problem in a route, island or the build surfaces here, at start,
 * rather than on the first request that happens to need it.
 */
export async function createApp<State = Record<string, unknown>>(opts: AppOptions<State>): Promise<FreshApp> {
  await loadIslands(opts.islandsDir);
  const build = await prepareClientBuild({
    islandsDir: opts.islandsDir,
    buildDir: opts.buildDir,
    mode: opts.build ?? "ifMissing",
  });
  const table = await loadRoutes(opts.routesDir, { lazy: opts.lazyRoutes });
  const statics = await indexStaticFiles(opts.staticDir, [opts.buildDir]);
  const renderer = createRenderer({ app: table.app, notFound: table.notFound, error: table.error, build });
  const initState = opts.initState ?? (() => ({}) as State);

  const app = new Hono();
  app.all("*", createDispatcher({ table, renderer, build, statics, initState }));
  app.onError((err) => {
    // The dispatcher maps every error itself; this is only a backstop that never shows details.
    console.error("unhandled error", err);
    return new Response("internal error", { status: 500, headers: { "content-type": "text/plain" } });
  });
  return { app, fetch: async (req, info) => await app.fetch(req, info), warm: () => warmRoutes(table) };
}
