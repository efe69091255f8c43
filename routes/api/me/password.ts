import { defineRoute, op } from "@/web/define_route.ts";
import { changePassword } from "@/services/accounts/account_settings.ts";
import { AcceptedOut, ChangePasswordBody } from "@/core/account_schemas.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Change the password (needs the current one); every other session ends",
    auth: "user",
    body: ChangePasswordBody,
    response: AcceptedOut,
    handler: async (ctx, { app, user, body }) => {
      await changePassword(app, user.id, ctx.state.sessionId, body);
      return Response.json({ status: "password_changed" }, { headers: { "cache-control": "no-store" } });
    },
  }),
});
