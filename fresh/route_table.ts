/**
 * The route table, built once at start by crawling `routes/`: route files, `_app`, `_layout` and
 * `_middleware` per folder, `_404` and `_500`. Each route keeps its own layout and middleware chains (outer
 * folders first), so a request only has to find its route.
 *
 * Route modules are imported at start, or with `lazy` on the first request that needs them (the special
 * files always at start): importing every route is the largest part of a start, and most processes answer a
 * health check long before any page. `warmRoutes` imports the rest later, so a malformed module still shows
 * soon after start.
 */
import type { ComponentType } from "preact";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isModuleFile, walkFiles } from "./crawl.ts";
import {
  compareRoutes,
  folderSegments,
  matchesPrefix,
  matchSegments,
  patternOf,
  routeSegments,
  type Segment,
} from "./route_path.ts";
import type { Handler, Handlers, LayoutProps, Method, PageProps } from "./types.ts";

// deno-lint-ignore no-explicit-any
type AnyHandler = Handler<any>;
// deno-lint-ignore no-explicit-any
type AnyHandlers = Handlers<any>;
// deno-lint-ignore no-explicit-any
export type PageComponent = ComponentType<PageProps<any, any>>;
// deno-lint-ignore no-explicit-any
export type LayoutComponent = ComponentType<LayoutProps<any, any>>;

/** Methods a `handler` object may have, in the order an `Allow` header lists them. */
export const METHODS: readonly Method[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** One route file, with everything needed to answer for it. */
export interface Route {
  /** Path under `routes/`, for messages. */
  file: string;
  /** Readable pattern, e.g. `/users/:id`. */
  pattern: string;
  segments: Segment[];
  handler?: AnyHandler | AnyHandlers;
  page?: PageComponent;
  /** Layouts from the outermost folder in. */
  layouts: LayoutComponent[];
  /** Middleware from the outermost folder in. */
  middlewares: AnyHandler[];
  /** Imports the module and fills `handler` and `page` (once; lazy tables only). */
  load?: () => Promise<void>;
}

/** The crawled `routes/` folder. */
export interface RouteTable {
  /** Routes in precedence order: the first that matches wins. */
  routes: Route[];
  /**
   * Routes without `[param]` or `[...rest]`, by their decoded segments joined with `/`: found in one lookup,
   * as Fresh 2's router does. A static route always beats a dynamic one that matches the same path.
   */
  statics: Map<string, Route>;
  /** The routes with a `[param]` or `[...rest]`, in precedence order. */
  dynamics: Route[];
  app?: LayoutComponent;
  notFound?: PageComponent;
  error?: PageComponent;
  /** Middleware of folders outside any `(group)`, for paths no route matches. */
  folderMiddlewares: { segments: Segment[]; handlers: AnyHandler[] }[];
}

/**
 * Crawls and imports `routesDir`. Throws at start, not on some later request, for a malformed module or
 * for two files that claim the same URL pattern.
 */
export async function loadRoutes(routesDir: string, options: { lazy?: boolean } = {}): Promise<RouteTable> {
  const files = (await walkFiles(routesDir)).filter(isModuleFile);
  const load = (rel: string) => import(pathToFileURL(join(routesDir, rel)).href);
  const layouts = new Map<string, LayoutComponent>();
  const middlewares = new Map<string, AnyHandler[]>();
  const table: RouteTable = { routes: [], statics: new Map(), dynamics: [], folderMiddlewares: [] };
  const routeFiles: { rel: string; dir: string; mod?: Record<string, unknown> }[] = [];

  for (const rel of files) {
    const parts = rel.split("/");
    const base = parts.pop()!.replace(/\.[jt]sx?$/, "");
    const dir = parts.join("/");
    const special = base.startsWith("_");
    if (special && !["_app", "_layout", "_middleware", "_404", "_500"].includes(base)) continue;
    if (!special && options.lazy) {
      routeFiles.push({ rel, dir });
      continue;
    }
    const mod = await load(rel);
    if ((base === "_app" || base === "_404" || base === "_500") && dir !== "") {
      throw new Error(`routes/${rel}: ${base} belongs at the top of routes/`);
    }
    if (base === "_app") table.app = component(mod, rel);
    else if (base === "_404") table.notFound = component(mod, rel);
    else if (base === "_500") table.error = component(mod, rel);
    else if (base === "_layout") layouts.set(dir, component(mod, rel));
    else if (base === "_middleware") middlewares.set(dir, middlewareOf(mod, rel));
    else routeFiles.push({ rel, dir, mod });
  }

  for (const { rel, dir, mod } of routeFiles) {
    const segments = routeSegments(rel);
    const chain = folderChain(dir);
    const route: Route = {
      file: rel,
      pattern: patternOf(segments),
      segments,
      layouts: chain.flatMap((d) => layouts.get(d) ?? []),
      middlewares: chain.flatMap((d) => middlewares.get(d) ?? []),
    };
    if (mod) fillRoute(route, mod);
    else {
      let loading: Promise<void> | undefined;
      route.load = () => loading ??= load(rel).then((m) => fillRoute(route, m));
    }
    table.routes.push(route);
  }

  table.routes.sort((a, b) => compareRoutes(a.segments, b.segments));
  for (let i = 1; i < table.routes.length; i++) {
    const [a, b] = [table.routes[i - 1], table.routes[i]];
    if (compareRoutes(a.segments, b.segments) === 0) {
      throw new Error(`routes/${a.file} and routes/${b.file} both answer ${a.pattern}`);
    }
  }
  for (const route of table.routes) {
    if (route.segments.every((s) => s.kind === "static")) {
      table.statics.set(route.segments.map((s) => (s as { value: string }).value).join("/"), route);
    } else {
      table.dynamics.push(route);
    }
  }

  for (const [dir, handlers] of middlewares) {
    const folders = dir === "" ? [] : dir.split("/");
    if (folders.some((f) => f.startsWith("("))) continue;
    table.folderMiddlewares.push({ segments: folderSegments(folders), handlers });
  }
  table.folderMiddlewares.sort((a, b) => a.segments.length - b.segments.length);
  return table;
}

function fillRoute(route: Route, mod: Record<string, unknown>): void {
  route.handler = handlerOf(mod, route.file);
  route.page = mod.default === undefined ? undefined : component(mod, route.file);
  if (!route.handler && !route.page) {
    throw new Error(`routes/${route.file}: export a handler, a default page component, or both`);
  }
}

/** The route with its module imported (a no-op for a table loaded eagerly). */
export async function ensureRoute(route: Route): Promise<Route> {
  if (route.load) await route.load();
  return route;
}

/** Imports every route not imported yet; answers the errors (one per malformed module). */
export async function warmRoutes(table: RouteTable): Promise<Error[]> {
  const errors: Error[] = [];
  for (const route of table.routes) {
    await ensureRoute(route).catch((error) => errors.push(error as Error));
  }
  return errors;
}

/** Finds the route for a request path (already split into raw segments). */
export function findRoute(
  table: RouteTable,
  parts: readonly string[],
): { route: Route; params: Record<string, string> } | null {
  const key = staticKey(parts);
  const fixed = key === null ? undefined : table.statics.get(key);
  if (fixed) return { route: fixed, params: {} };
  for (const route of table.dynamics) {
    const params = matchSegments(route.segments, parts);
    if (params) return { route, params };
  }
  return null;
}

/**
 * The decoded segments joined with `/`, or `null` when no static route can match: a malformed escape, or an
 * escaped `/` inside a segment (a file name never holds one).
 */
function staticKey(parts: readonly string[]): string | null {
  let key = "";
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i];
    if (part.includes("%")) {
      try {
        part = decodeURIComponent(part);
      } catch {
        return null;
      }
      if (part.includes("/")) return null;
    }
    key += i === 0 ? part : `/${part}`;
  }
  return key;
}

/** Middleware that still runs for a path no route matches: that of every folder whose path it is under. */
export function middlewaresFor(table: RouteTable, parts: readonly string[]): AnyHandler[] {
  return table.folderMiddlewares.filter((m) => matchesPrefix(m.segments, parts)).flatMap((m) => m.handlers);
}

/** `a/b/c` gives `["", "a", "a/b", "a/b/c"]`: the folders whose layouts and middleware apply, outer first. */
function folderChain(dir: string): string[] {
  const chain = [""];
  if (dir === "") return chain;
  const parts = dir.split("/");
  for (let i = 1; i <= parts.length; i++) chain.push(parts.slice(0, i).join("/"));
  return chain;
}

function component<T>(mod: Record<string, unknown>, rel: string): T {
  if (typeof mod.default !== "function") {
    throw new Error(`routes/${rel}: the default export must be a component`);
  }
  return mod.default as T;
}

function handlerOf(mod: Record<string, unknown>, rel: string): AnyHandler | AnyHandlers | undefined {
  const h = mod.handler;
  if (h === undefined || typeof h === "function") return h as AnyHandler | undefined;
  if (typeof h !== "object" || h === null) {
    throw new Error(`routes/${rel}: handler must be a function or object`);
  }
  for (const [key, fn] of Object.entries(h)) {
    if (!METHODS.includes(key as Method) || typeof fn !== "function") {
      throw new Error(`routes/${rel}: handler.${key} is not a method handler (use ${METHODS.join(", ")})`);
    }
  }
  return h as AnyHandlers;
}

function middlewareOf(mod: Record<string, unknown>, rel: string): AnyHandler[] {
  const list = Array.isArray(mod.handler) ? mod.handler : [mod.handler];
  if (list.length === 0 || list.some((h) => typeof h !== "function")) {
    throw new Error(`routes/${rel}: export handler as a function or an array of functions`);
  }
  return list as AnyHandler[];
}
