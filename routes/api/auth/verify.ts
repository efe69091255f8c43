import { defineApi } from "@/web/api.ts";
import { confirmVerification } from "@/services/accounts/account.ts";
import { AcceptedOut, VerifyBody } from "@/core/account_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { parseJson } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "Confirm the account's email address with a verification link's token",
    auth: "none",
    body: VerifyBody,
    response: AcceptedOut,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    const input = await parseJson(ctx.req, api.POST.body);
    await confirmVerification(input.token, ctx.state.user?.id);
    return Response.json({ status: "verified" }, { headers: { "cache-control": "no-store" } });
  },
};
