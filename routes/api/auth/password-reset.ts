import { defineRoute, op } from "@/web/define_route.ts";
import { requestPasswordReset } from "@/services/accounts/account.ts";
import { AcceptedOut, PasswordResetBody } from "@/core/account_schemas.ts";
import { clientAddress } from "@/web/auth.ts";
import { checkOrigin } from "@/web/csrf.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Send a password-reset link; the same 202 whether or not the address has an account",
    auth: "none",
    body: PasswordResetBody,
    response: AcceptedOut,
    status: 202,
    before: (ctx) => checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl),
    handler: async (ctx, { app, body }) => {
      await requestPasswordReset(app, body.email, clientAddress(ctx));
      return Response.json({ status: "accepted" }, { status: 202, headers: { "cache-control": "no-store" } });
    },
  }),
});
