import { defineApi } from "@/web/api.ts";
import { clearedSessionCookie, requireUser } from "@/web/auth.ts";
import { UserOut } from "@/core/auth_schemas.ts";
import { HttpError } from "@/core/http_error.ts";
import { getMe } from "@/db/users.ts";
import { deleteMe, patchMe } from "@/services/accounts/account_settings.ts";
import { DeleteMeBody, UpdateMeBody } from "@/core/account_schemas.ts";
import { parseJson } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: { summary: "The signed-in user (never the password hash)", auth: "user", response: UserOut },
  PATCH: {
    summary: "Change name, time zone or email (a new email is unverified until its link is followed)",
    auth: "user",
    body: UpdateMeBody,
    response: UserOut,
  },
  DELETE: {
    summary: "Delete the account and its data after typing its email (docs/accounts.md: what is kept)",
    auth: "user",
    body: DeleteMeBody,
    status: 204,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const me = await getMe(user.id);
    if (!me) throw new HttpError(401, "sign in required");
    return Response.json(me, { headers: { "cache-control": "no-store" } });
  },
  async PATCH(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const input = await parseJson(ctx.req, api.PATCH.body);
    return Response.json(await patchMe(user.id, input), { headers: { "cache-control": "no-store" } });
  },
  async DELETE(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    await deleteMe(user.id, (await parseJson(ctx.req, api.DELETE.body)).confirm_email);
    return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookie() } });
  },
};
