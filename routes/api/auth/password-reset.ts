import { defineApi } from "../../../lib/api.ts";
import { requestPasswordReset } from "../../../lib/account.ts";
import { AcceptedOut, PasswordResetBody } from "../../../lib/account_schemas.ts";
import { clientAddress } from "../../../lib/auth.ts";
import { checkOrigin } from "../../../lib/csrf.ts";
import { parseJson } from "../../../lib/validate.ts";
import type { FreshContext } from "../../../fresh/types.ts";
import type { AppState } from "../../../lib/state.ts";

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
    checkOrigin(ctx.req);
    const input = await parseJson(ctx.req, api.POST.body);
    await requestPasswordReset(input.email, clientAddress(ctx));
    return Response.json({ status: "accepted" }, { status: 202, headers: { "cache-control": "no-store" } });
  },
};
