import { defineApi } from "@/web/api.ts";
import { requestPasswordReset } from "@/services/accounts/account.ts";
import { AcceptedOut, PasswordResetBody } from "@/core/account_schemas.ts";
import { clientAddress } from "@/web/auth.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { parseJson } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "Send a password-reset link; the same 202 whether or not the address has an account",
    auth: "none",
    body: PasswordResetBody,
    response: AcceptedOut,
    status: 202,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    const input = await parseJson(ctx.req, api.POST.body);
    await requestPasswordReset(input.email, clientAddress(ctx));
    return Response.json({ status: "accepted" }, { status: 202, headers: { "cache-control": "no-store" } });
  },
};
