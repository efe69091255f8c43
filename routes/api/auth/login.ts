import { defineApi } from "@/web/api.ts";
import { clientAddress, logIn } from "@/web/auth.ts";
import { LoginBody, SignedInOut } from "@/core/auth_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { parseJson } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { assertStorableText } from "@/core/text_guard.ts";

export const api = defineApi({
  POST: {
    summary: "Sign in (rate limited per address and email)",
    auth: "none",
    body: LoginBody,
    response: SignedInOut,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    const input = assertStorableText(await parseJson(ctx.req, api.POST.body));
    const signed = await logIn(input, {
      address: clientAddress(ctx),
      userAgent: ctx.req.headers.get("user-agent"),
    });
    return Response.json({ user: signed.user, token: signed.token }, {
      headers: { "set-cookie": signed.cookie, "cache-control": "no-store" },
    });
  },
};
