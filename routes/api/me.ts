import { defineApi } from "../../lib/api.ts";
import { requireUser } from "../../lib/auth.ts";
import { UserOut } from "../../lib/auth_schemas.ts";
import { HttpError } from "../../lib/http_error.ts";
import { getMe } from "../../db/users.ts";
import type { FreshContext } from "../../fresh/types.ts";
import type { AppState } from "../../lib/state.ts";

export const api = defineApi({
  GET: { summary: "The signed-in user (never the password hash)", auth: "user", response: UserOut },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const me = await getMe(user.id);
    if (!me) throw new HttpError(401, "sign in required");
    return Response.json(me, { headers: { "cache-control": "no-store" } });
  },
};
