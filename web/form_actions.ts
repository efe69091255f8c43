/**
 * Named form actions for a server-rendered page with several forms (in the manner of SvelteKit's named
 * actions, without JavaScript): each form posts to the page with a hidden field naming its action, and the
 * page declares one function per action instead of routing every form through one hand-written `POST`.
 *
 * `guard` runs first, before the form is read: the CSRF check of `requireUser` reads a copy of the body,
 * which is no longer possible once the form is consumed. A post naming no declared action answers 422
 * naming the field, unless `fallback` names the action such a post runs (a page whose last form posted no
 * name before). Only the action's own name is looked up (`constructor` or `__proto__` are no action).
 *
 * @example
 * export const handler = {
 *   GET: ...,
 *   POST: formActions({
 *     field: "form", // <input type="hidden" name="form" value="timezone">
 *     guard: requireUser,
 *     actions: {
 *       timezone: async (ctx, { form, guarded: user }) => { ...; return seeOther("/settings?saved=timezone"); },
 *       resume: async (ctx, { form, guarded: user }) => ...,
 *     },
 *   }),
 * };
 */
import type { FreshContext } from "@/fresh/types.ts";
import { HttpError } from "@/core/http_error.ts";
import { field as readField, readForm } from "@/core/page_forms.ts";
import type { AppState } from "./state.ts";

/** One action: the request context, the posted form and what the guard answered (the user, typically). */
export type FormAction<G> = (
  ctx: FreshContext<AppState>,
  input: { form: URLSearchParams; guarded: G },
) => Promise<Response>;

export interface FormActionsSpec<G, A extends Record<string, FormAction<G>>> {
  /** The hidden field naming the action; `_action` unless the page's forms use another name. */
  field?: string;
  /** Runs before the form is read; what it answers is handed to the action. Throws to refuse (401, 403). */
  guard: (ctx: FreshContext<AppState>) => Promise<G>;
  actions: A;
  /** The action a post without a declared name runs; without it such a post is a 422. */
  fallback?: keyof A & string;
}

/** The page's `POST` handler: guard, read the form, run the action it names. */
export function formActions<G, A extends Record<string, FormAction<G>>>(
  spec: FormActionsSpec<G, A>,
): (ctx: FreshContext<AppState>) => Promise<Response> {
  const name = spec.field ?? "_action";
  return async (ctx) => {
    const guarded = await spec.guard(ctx);
    const form = await readForm(ctx.req);
    const wanted = readField(form, name);
    const chosen = Object.hasOwn(spec.actions, wanted) ? wanted : spec.fallback;
    if (chosen === undefined) {
      throw new HttpError(422, `unknown ${name}`, { fields: { [name]: `unknown ${name}` } });
    }
    return await spec.actions[chosen](ctx, { form, guarded });
  };
}
