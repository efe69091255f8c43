import type { FreshContext } from "@/fresh/types.ts";
import { redirectToLogin } from "@/web/auth.ts";
import type { AppState } from "@/web/state.ts";

/** Every page in (app) is for signed-in users: others go to the login (303), and come back after. */
export function handler(ctx: FreshContext<AppState>): Promise<Response> | Response {
  if (!ctx.state.user) return redirectToLogin(ctx.url);
  return ctx.next();
}
