import { defineRoute, op } from "@/web/define_route.ts";
import { clearedSessionCookie, logOut } from "@/web/auth.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "End the current session (the token stops working)",
    auth: "user",
    status: 204,
    handler: async (ctx, { app }) => {
      await logOut(app.sql, ctx.state.sessionId);
      return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookie(app.config) } });
    },
  }),
});
