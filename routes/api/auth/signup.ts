import { defineRoute, op, reply } from "@/web/define_route.ts";
import { clientAddress, signUp } from "@/web/auth.ts";
import { SignedInOut, SignupBody } from "@/core/auth_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Create an account and sign in",
    auth: "none",
    body: SignupBody,
    response: SignedInOut,
    status: 201,
    before: (ctx) => checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl),
    handler: async (ctx, { app, body }) => {
      const signed = await signUp(app, body, {
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
