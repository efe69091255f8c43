import { defineRoute, op, reply } from "@/web/define_route.ts";
import { clientAddress, logIn } from "@/web/auth.ts";
import { LoginBody, SignedInOut } from "@/core/auth_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Sign in (rate limited per address and email)",
    auth: "none",
    body: LoginBody,
    response: SignedInOut,
    before: (ctx) => checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl),
    handler: async (ctx, { app, body }) => {
      const signed = await logIn(app, body, {
        address: clientAddress(ctx),
        userAgent: ctx.req.headers.get("user-agent"),
      });
      return reply({ user: signed.user, token: signed.token }, {
        "set-cookie": signed.cookie,
        "cache-control": "no-store",
      });
    },
  }),
});
