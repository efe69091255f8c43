import { defineApi } from "@/web/api.ts";
import { clearedSessionCookie, logOut, requireUser } from "@/web/auth.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: { summary: "End the current session (the token stops working)", auth: "user", status: 204 },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    await requireUser(ctx);
    await logOut(ctx.state.sessionId);
    return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookie() } });
  },
};
