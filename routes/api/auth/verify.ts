import { defineRoute, op } from "@/web/define_route.ts";
import { confirmVerification } from "@/services/accounts/account.ts";
import { AcceptedOut, VerifyBody } from "@/core/account_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Confirm the account's email address with a verification link's token",
    auth: "none",
    body: VerifyBody,
    response: AcceptedOut,
    before: (ctx) => checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl),
    handler: async (ctx, { app, body }) => {
      await confirmVerification(app.sql, body.token, ctx.state.user?.id);
      return Response.json({ status: "verified" }, { headers: { "cache-control": "no-store" } });
    },
  }),
});
