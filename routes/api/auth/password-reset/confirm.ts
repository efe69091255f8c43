import { defineApi } from "@/web/api.ts";
import { confirmPasswordReset } from "@/services/accounts/account.ts";
import { AcceptedOut, PasswordResetConfirmBody } from "@/core/account_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { parseJson } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "Set a new password with a reset link's token; every session of the account ends",
    auth: "none",
    body: PasswordResetConfirmBody,
    response: AcceptedOut,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    const input = await parseJson(ctx.req, api.POST.body);
    await confirmPasswordReset(input.token, input.password);
    return Response.json({ status: "password_changed" }, { headers: { "cache-control": "no-store" } });
  },
};
