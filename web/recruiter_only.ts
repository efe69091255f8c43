/**
 * Recruiter mode's API routes answer 404 to job seekers, as if they did not exist, before reading anything
 * else of the request: `defineRoute` checks the body before its handler runs, so the check wraps the
 * route's handlers instead of sitting inside them (a seeker's bad body is a 404, not a 422 naming fields).
 *
 * @example
 * export const { handler, api } = recruiterOnly(defineRoute({ GET: op({ ... }) }));
 */
import type { Handlers } from "@/fresh/types.ts";
import { requireRecruiter } from "@/services/roles/roles.ts";
import { requireUser } from "./auth.ts";
import type { AppState } from "./state.ts";

export function recruiterOnly<R extends { handler: Handlers<AppState> }>(route: R): R {
  const handler: Handlers<AppState> = {};
  for (
    const [method, run] of Object.entries(route.handler) as [
      keyof Handlers,
      Handlers<AppState>[keyof Handlers],
    ][]
  ) {
    if (!run) continue;
    handler[method] = async (ctx) => {
      requireRecruiter(await requireUser(ctx));
      return await run(ctx);
    };
  }
  return { ...route, handler };
}
