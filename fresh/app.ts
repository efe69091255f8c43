/**
 * `createApp`: everything that happens once at start. Islands are imported and registered, the client
 * build is checked (and made, when allowed), `routes/` is crawled into the route table and `static/` is
 * indexed. Requests then only match and run: nothing is crawled or built per request, and with `lazyRoutes`
 * a route module is imported once, by the first request that needs it (or by `warm()`).
 *
 * The result is a plain fetch handler for `Deno.serve`, as in Fresh 2: the framework routes itself (see
 * route_table.ts), so no router sits in between (docs/development.md, "HTTP framework").
 */
import { prepareClientBuild } from "./assets.ts";
import { createDispatcher } from "./dispatch.ts";
import {
  backstopResponse,
  defaultHttpError,
  defaultOnError,
  type ErrorHandler,
  type HttpErrorFactory,
} from "./errors.ts";
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
  /** Turns anything thrown while answering into the response: the app's one error mapping (fresh/errors.ts). */
  onError?: ErrorHandler<State>;
  /** Makes the app's error for the framework's own 404 (no route) and 405 (no such method, with `allow`). */
  httpError?: HttpErrorFactory;
}

/** The app: its fetch handler and the import of the routes not imported yet. */
export interface FreshApp {
  /** `Deno.serve`'s handler; `info` becomes `ctx.info`, so handlers can read `remoteAddr`. */
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
  const dispatch = createDispatcher<State>({
    table,
    renderer,
    build,
    statics,
    initState: opts.initState ?? (() => ({}) as State),
    onError: opts.onError ?? (defaultOnError as ErrorHandler<State>),
    httpError: opts.httpError ?? defaultHttpError,
  });
  return {
    // The dispatcher maps every error through `onError`; this only catches a failing `onError`.
    fetch: (req, info) => dispatch(req, info).catch(backstopResponse),
    warm: () => warmRoutes(table),
  };
}
