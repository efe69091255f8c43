import { defineRoute, op } from "@/web/define_route.ts";
import { clearedSessionCookie } from "@/web/auth.ts";
import { UserOut } from "@/core/auth_schemas.ts";
import { HttpError } from "@/core/http_error.ts";
import { getMe } from "@/db/users.ts";
import { deleteMe, patchMe } from "@/services/accounts/account_settings.ts";
import { DeleteMeBody, UpdateMeBody } from "@/core/account_schemas.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "The signed-in user (never the password hash)",
    auth: "user",
    response: UserOut,
    handler: async (_ctx, { app, user }) => {
      const me = await getMe(app.sql, user.id);
      if (!me) throw new HttpError(401, "sign in required");
      return Response.json(me, { headers: { "cache-control": "no-store" } });
    },
  }),
  PATCH: op({
    summary: "Change name, time zone or email (a new email is unverified until its link is followed)",
    auth: "user",
    body: UpdateMeBody,
    response: UserOut,
    handler: async (_ctx, { app, user, body }) =>
      Response.json(await patchMe(app, user.id, body), { headers: { "cache-control": "no-store" } }),
  }),
  DELETE: op({
    summary: "Delete the account and its data after typing its email (docs/accounts.md: what is kept)",
    auth: "user",
    body: DeleteMeBody,
    status: 204,
    handler: async (_ctx, { app, user, body }) => {
      await deleteMe(app.sql, user.id, body.confirm_email);
      return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookie(app.config) } });
    },
  }),
});
