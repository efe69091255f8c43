import { defineApi } from "@/web/api.ts";
import { clientAddress, signUp } from "@/web/auth.ts";
import { SignedInOut, SignupBody } from "@/core/auth_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { parseJson } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { assertStorableText } from "@/core/text_guard.ts";

export const api = defineApi({
  POST: {
    summary: "Create an account and sign in",
    auth: "none",
    body: SignupBody,
    response: SignedInOut,
    status: 201,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    const input = assertStorableText(await parseJson(ctx.req, api.POST.body));
    const signed = await signUp(input, {
      address: clientAddress(ctx),
      userAgent: ctx.req.headers.get("user-agent"),
    });
    return Response.json({ user: signed.user, token: signed.token }, {
      status: 201,
      headers: { "set-cookie": signed.cookie, "cache-control": "no-store" },
    });
  },
};
