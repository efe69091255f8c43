import { defineRoute, op } from "@/web/define_route.ts";
import { confirmPasswordReset } from "@/services/accounts/account.ts";
import { AcceptedOut, PasswordResetConfirmBody } from "@/core/account_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Set a new password with a reset link's token; every session of the account ends",
    auth: "none",
    body: PasswordResetConfirmBody,
    response: AcceptedOut,
    before: (ctx) => checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl),
    handler: async (_ctx, { app, body }) => {
      await confirmPasswordReset(app, body.token, body.password);
      return Response.json({ status: "password_changed" }, { headers: { "cache-control": "no-store" } });
    },
  }),
});
