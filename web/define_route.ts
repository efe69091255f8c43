/**
 * A route's contract, declared once and enforced before its handler runs: who may call it, the query and
 * body it takes, what it answers. The same declaration feeds the OpenAPI document (web/openapi.ts reads the
 * `api` export), so the document and the checks cannot drift apart.
 *
 * Before the handler runs, in this order (cheap work first):
 * 1. `auth`: "user" needs a session (401) and, for cookie sessions, a CSRF token (403); "admin" needs the
 *    admin token (401, or 404 when admin is off); "webhook" and "none" check nothing here (a webhook
 *    verifies its own signature, which needs the raw body).
 * 2. `query`: parsed against the schema; a bad value answers 422 naming the field.
 * 3. `body`: read within the body limit, parsed as JSON against the schema (400 for malformed JSON, 422
 *    naming the field). Text that cannot be stored (lone surrogates, control characters) is refused. Not for
 *    "webhook": its body is declared for the document and read by the handler, after its signature.
 *
 * The handler returns data, answered as JSON with `status` (200 unless said), or a `Response` of its own.
 * Under test the data must match `response` (see `checkResponse`).
 *
 * @example
 * export const { handler, api } = defineRoute({
 *   POST: {
 *     summary: "Track a job",
 *     auth: "user",
 *     body: CreateApplication,
 *     response: ApplicationOut,
 *     status: 201,
 *     handler: (_ctx, { app, user, body }) => createApplication(app.sql, user.id, body),
 *   },
 * });
 */
import type { z } from "zod";
import type { FreshContext, Handler, Handlers } from "@/fresh/types.ts";
import { parseJson, parseQuery } from "@/core/validate.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import type { AppContext } from "@/services/app_context.ts";
import type { Method, Operation } from "./api.ts";
import { requireUser } from "./auth.ts";
import type { AppState, SessionUser } from "./state.ts";

type Auth = Operation["auth"];
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives besides the request context: the app context and the checked input. */
export interface RouteInput<A extends Auth, Q, B> {
  app: AppContext;
  /** The signed-in user; present exactly when `auth` is "user". */
  user: A extends "user" ? SessionUser : undefined;
  query: Out<Q>;
  body: Out<B>;
}

export interface RouteOperation<
  A extends Auth = Auth,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
> extends Omit<Operation, "auth" | "query" | "body" | "response"> {
  auth: A;
  query?: Q;
  body?: B;
  response?: R;
  /** Largest body accepted, in bytes (core/validate.ts's default otherwise). */
  maxBodyBytes?: number;
  /**
   * A check of the request itself that runs after `auth` and before the query and body are read: a
   * cross-site refusal (`checkOrigin`), a route parameter that must name something (404), a rate limit. It
   * throws an `HttpError` to refuse.
   */
  before?(ctx: FreshContext<AppState>, app: AppContext): void | Promise<void>;
  handler(
    ctx: FreshContext<AppState>,
    input: RouteInput<A, Q, B>,
  ): Promise<unknown>;
}

// deno-lint-ignore no-explicit-any
type AnyOperation = RouteOperation<any, any, any, any>;
export type RouteSpec = Partial<Record<Method, AnyOperation>>;

/** Checks the declaration of one operation's input, runs its handler, and answers. */
function enforce(op: AnyOperation): Handler<AppState> {
  return async (ctx) => {
    let user: SessionUser | undefined;
    if (op.auth === "user") user = await requireUser(ctx);
    else if (op.auth === "admin") requireAdmin(ctx.state.app, ctx.req);
    await op.before?.(ctx, ctx.state.app);
    const query = op.query ? parseQuery(ctx.url, op.query) : undefined;
    // A webhook's body is declared for the document only: it reads the raw body itself, to check its
    // signature before parsing anything.
    const body = op.body && op.auth !== "webhook"
      ? await parseJson(ctx.req, op.body, op.maxBodyBytes)
      : undefined;
    const app = ctx.state.app;
    const result = await op.handler(ctx, { app, user, query, body });
    if (result instanceof Response) return result;
    const { data, headers } = result instanceof Reply ? result : { data: result, headers: undefined };
    const json = JSON.stringify(data ?? null);
    if (op.response && app.config.env === "test") checkResponse(op.response, json, ctx.route);
    const answer = new Response(json, { status: op.status ?? 200, headers });
    answer.headers.set("content-type", "application/json");
    return answer;
  };
}

/** Data to answer with headers of its own (`set-cookie`, `cache-control`); see {@link reply}. */
class Reply {
  constructor(readonly data: unknown, readonly headers: HeadersInit) {}
}

/**
 * Answers `data` as the declared response, with extra headers. Unlike a `Response` built by hand, the data is
 * still checked against `response` under test.
 *
 * @example
 * return reply({ user, token }, { "set-cookie": cookie, "cache-control": "no-store" });
 */
export function reply(data: unknown, headers: HeadersInit): Reply {
  return new Reply(data, headers);
}

/**
 * Under test, every JSON answer is checked against its declared `response` as a client would read it
 * (dates as strings): a handler that drifts from its OpenAPI document fails its tests with a 500 naming the
 * route and the field. Production skips the check (its cost is a second pass over every answer).
 */
function checkResponse(schema: z.ZodType, json: string, route: string | undefined): void {
  const parsed = schema.safeParse(JSON.parse(json));
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  throw new Error(
    `${route}: answer does not match its declared response at ${issue.path.join(".")}: ${issue.message}`,
  );
}

/**
 * The route's `handler` (each method enforced) and its `api` (the declaration without handlers, for the
 * OpenAPI document). The operations are typed one by one: write them inline in the call.
 */
export function defineRoute<S extends RouteSpec>(spec: S & { [M in keyof S]: S[M] }): {
  handler: Handlers<AppState>;
  api: { [M in keyof S]: Operation };
} {
  const handler: Handlers<AppState> = {};
  const api: Partial<Record<Method, Operation>> = {};
  for (const [method, op] of Object.entries(spec) as [Method, AnyOperation][]) {
    handler[method] = enforce(op);
    const { handler: _run, maxBodyBytes: _max, before: _before, ...declared } = op;
    api[method] = declared;
  }
  return { handler, api: api as { [M in keyof S]: Operation } };
}

/**
 * One operation, typed on its own: `defineRoute({ POST: op({...}) })`. TypeScript infers the schemas of an
 * operation written through it, so the handler's `query`, `body` and `user` carry their real types.
 */
export function op<
  A extends Auth,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
>(operation: RouteOperation<A, Q, B, R>): RouteOperation<A, Q, B, R> {
  return operation;
}
