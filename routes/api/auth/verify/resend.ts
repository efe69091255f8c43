import { defineRoute, op } from "@/web/define_route.ts";
import { resendVerification } from "@/services/accounts/account.ts";
import { AcceptedOut } from "@/core/account_schemas.ts";
import { HttpError } from "@/core/http_error.ts";
import { getMe } from "@/db/users.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Send the verification link again (a few an hour)",
    auth: "user",
    response: AcceptedOut,
    status: 202,
    handler: async (_ctx, { app, user }) => {
      const me = await getMe(app.sql, user.id);
      if (!me) throw new HttpError(401, "sign in required");
      const status = await resendVerification(app, me);
      return Response.json({ status }, { status: 202, headers: { "cache-control": "no-store" } });
    },
  }),
});
