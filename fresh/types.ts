/**
 * Public types of the `fresh/` web layer. Route files, layouts and middleware are typed with these; the
 * shapes follow Fresh 2 so that code reads the same as Fresh's own documentation.
 */
import type { ComponentType } from "preact";

/** Per-request context passed to handlers and middleware. */
export interface FreshContext<State = Record<string, unknown>> {
  /** The incoming request. */
  readonly req: Request;
  /** The matched route's pattern (`/api/jobs/:id`), for logs and metric labels; undefined when none matched. */
  readonly route?: string;
  /** The parsed request URL. */
  readonly url: URL;
  /** Route params: `[id]` gives `params.id`, `[...rest]` gives the rest of the path joined with `/`. */
  readonly params: Record<string, string>;
  /** Per-request object that middleware fills (`initState` gives its start value). */
  state: State;
  /** In middleware: runs the next middleware or the route. From a route it throws the app's 404 (`httpError`). */
  next(): Promise<Response>;
  /** Renders this route's page component inside its layouts and `_app`, as a full HTML document. */
  render(data?: unknown, init?: ResponseInit): Response | Promise<Response>;
  /** The connection as `Deno.serve` saw it (`remoteAddr`); absent when the app's `fetch` got none. */
  readonly info?: Deno.ServeHandlerInfo;
}

/** A route handler or middleware function. */
export type Handler<State = Record<string, unknown>> = (
  ctx: FreshContext<State>,
) => Response | Promise<Response>;

/** HTTP methods a route can export handlers for. */
export type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** Per-method handlers: methods not listed answer 405 with an `Allow` header. */
export type Handlers<State = Record<string, unknown>> = Partial<Record<Method, Handler<State>>>;

/** A `_middleware.ts` exports `handler` as one of these, or an array of them. */
export type Middleware<State = Record<string, unknown>> = Handler<State>;

/** Props of page components, and (with `Component`) of layouts and `_app`. */
export interface PageProps<Data = unknown, State = Record<string, unknown>> {
  /** What the handler passed to `ctx.render(data)`; `undefined` for a page without handler. */
  data: Data;
  url: URL;
  params: Record<string, string>;
  state: State;
  /** Set for `_404` and `_500` pages. */
  error?: { status: number; message: string };
}

/** Props of `_layout.tsx` and `_app.tsx`: the page props plus the inner component to render. */
export interface LayoutProps<Data = unknown, State = Record<string, unknown>> extends PageProps<Data, State> {
  Component: ComponentType;
}
