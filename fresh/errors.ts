/**
 * How errors become answers, as a contract between the framework and the app. The framework knows no error
 * type of its own: the app registers two hooks with `createApp` (Fresh 2's `app.onError`, as options):
 *
 * - `httpError(status, message, headers)` makes the error the framework throws when no route matches (404)
 *   or the route lacks the method (405, with `Allow`), so that those go through the app's one error type
 *   and reach outer middleware like any other error;
 * - `onError(err, ctx)` turns anything thrown while answering into the response, the one place where errors
 *   are mapped. `ctx.renderErrorPage` renders `_404` (status 404) or `_500` inside `_app`.
 *
 * The defaults here serve an app that registers neither: an error's numeric `status` (400–599) and
 * `headers` are kept, anything else is a 500, and every answer is the error page.
 */

/** Makes the app's error for a condition the framework finds itself: no route (404) or no such method (405). */
export type HttpErrorFactory = (
  status: 404 | 405,
  message: string,
  headers?: Record<string, string>,
) => unknown;

/** What an error hook knows about the request that failed. */
export interface ErrorContext<State = unknown> {
  readonly req: Request;
  readonly url: URL;
  readonly params: Record<string, string>;
  /** `ctx.state` as middleware left it; `undefined` when `initState` itself threw. */
  readonly state: State | undefined;
  /** Renders `_404` (status 404) or `_500` (any other status) inside `_app`, as an HTML answer. */
  renderErrorPage(status: number, message: string, headers?: HeadersInit): Response;
}

/** Turns anything thrown while answering a request into the response the client gets. */
export type ErrorHandler<State = unknown> = (err: unknown, ctx: ErrorContext<State>) => Response;

/** The default {@link HttpErrorFactory}: a plain `Error` carrying `status` and `headers`. */
export const defaultHttpError: HttpErrorFactory = (status, message, headers) =>
  Object.assign(new Error(message), { status, headers });

/**
 * The default {@link ErrorHandler}: the error page with the error's `status` when it has one (400–599) and
 * its message, else a logged 500 "internal error" (a message of an unexpected error never reaches clients).
 */
export const defaultOnError: ErrorHandler = (err, ctx) => {
  const { status: given, headers } = (err ?? {}) as { status?: unknown; headers?: HeadersInit };
  const valid = typeof given === "number" && given >= 400 && given <= 599;
  const status = valid ? given : 500;
  if (status >= 500) console.error(`${ctx.req.method} ${ctx.url.pathname} failed`, err);
  const message = valid && err instanceof Error ? err.message : "internal error";
  return ctx.renderErrorPage(status, message, valid ? headers : undefined);
};

/** The last resort when the error hook itself fails: a bare 500 that shows nothing. */
export function backstopResponse(err: unknown): Response {
  console.error("unhandled error", err);
  return new Response("internal error", { status: 500, headers: { "content-type": "text/plain" } });
}
