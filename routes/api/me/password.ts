import { defineApi } from "@/web/api.ts";
import { changePassword } from "@/services/accounts/account_settings.ts";
import { AcceptedOut, ChangePasswordBody } from "@/core/account_schemas.ts";
import { requireUser } from "@/web/auth.ts";
import { parseJson } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "Change the password (needs the current one); every other session ends",
    auth: "user",
    body: ChangePasswordBody,
    response: AcceptedOut,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    await changePassword(user.id, ctx.state.sessionId, await parseJson(ctx.req, api.POST.body));
    return Response.json({ status: "password_changed" }, { headers: { "cache-control": "no-store" } });
  },
};
