/**
 * The `before` check of recruiter mode's API routes (web/define_route.ts): a job seeker gets 404, as if the
 * route did not exist, and so does a malformed id in the path, both before the body is read: the order the
 * routes had when each handler checked by hand.
 *
 * @example
 * POST: op({ auth: "user", before: recruiterOnly({ id: "role" }), body: AddCandidate, ... })
 */
import type { FreshContext } from "@/fresh/types.ts";
import { parseId } from "@/core/validate.ts";
import { requireRecruiter } from "@/services/roles/roles.ts";
import type { AppState } from "./state.ts";

/** `params` names the route parameters that must be ids, and what each names (for the 404's message). */
export function recruiterOnly(params: Record<string, string> = {}): (ctx: FreshContext<AppState>) => void {
  return (ctx) => {
    requireRecruiter(ctx.state.user ?? { mode: "" });
    for (const [name, what] of Object.entries(params)) parseId(ctx.params[name], what);
  };
}
