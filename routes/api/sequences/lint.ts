import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { LintBody, LintOut } from "@/core/deliverability/schemas.ts";
import { lintTemplate } from "@/core/deliverability/template_lint.ts";
import { parseJson } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "Lint a step's subject and body: spam-trigger phrases, capitals, exclamation runs, links and " +
      "shorteners, length, personalisation, an opt-out line. Warnings only; saving is never blocked",
    auth: "user",
    body: LintBody,
    response: LintOut,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    await requireUser(ctx);
    const { subject, body } = await parseJson(ctx.req, api.POST.body);
    return Response.json({ warnings: lintTemplate(subject, body) });
  },
};
