import { defineApi } from "@/web/api.ts";
import { resendVerification } from "@/services/accounts/account.ts";
import { AcceptedOut } from "@/core/account_schemas.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { getMe } from "@/db/users.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "Send the verification link again (a few an hour)",
    auth: "user",
    response: AcceptedOut,
    status: 202,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const me = await getMe(user.id);
    if (!me) throw new HttpError(401, "sign in required");
    const status = await resendVerification(me);
    return Response.json({ status }, { status: 202, headers: { "cache-control": "no-store" } });
  },
};
