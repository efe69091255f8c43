import { defineApi } from "../../../lib/api.ts";
import { confirmVerification } from "../../../lib/account.ts";
import { AcceptedOut, VerifyBody } from "../../../lib/account_schemas.ts";
import { checkOrigin } from "../../../lib/csrf.ts";
import { parseJson } from "../../../lib/validate.ts";
import type { FreshContext } from "../../../fresh/types.ts";
import type { AppState } from "../../../lib/state.ts";

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
    checkOrigin(ctx.req);
    const input = await parseJson(ctx.req, api.POST.body);
    await confirmVerification(input.token, ctx.state.user?.id);
    return Response.json({ status: "verified" }, { headers: { "cache-control": "no-store" } });
  },
};
