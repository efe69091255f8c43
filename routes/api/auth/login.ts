import { defineRoute, op } from "@/web/define_route.ts";
import { clientAddress, logIn } from "@/web/auth.ts";
import { LoginBody, SignedInOut } from "@/core/auth_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Sign in (rate limited per address and email)",
    auth: "none",
    body: LoginBody,
    response: SignedInOut,
    handler: async (ctx, { app, body }) => {
      checkOrigin(ctx.req);
      const signed = await logIn(app, body, {
        address: clientAddress(ctx),
        userAgent: ctx.req.headers.get("user-agent"),
      });
      return Response.json({ user: signed.user, token: signed.token }, {
        headers: { "set-cookie": signed.cookie, "cache-control": "no-store" },
      });
    },
  }),
});
