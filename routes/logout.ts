import type { FreshContext } from "@/fresh/types.ts";
import { clearedSessionCookie, logOut, requireUser } from "@/web/auth.ts";
import { seeOther } from "@/core/page_forms.ts";
import type { AppState } from "@/web/state.ts";

/** POST /logout (the form in the top bar): ends the session server-side, back to the start. */
export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    if (ctx.state.user) {
      await requireUser(ctx); // cookie sessions: the form's CSRF token and our origin
      await logOut(ctx.state.app.sql, ctx.state.sessionId);
    }
    return seeOther("/", { "set-cookie": clearedSessionCookie(ctx.state.app.config) });
  },
};
