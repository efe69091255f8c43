import { defineRoute, op } from "@/web/define_route.ts";
import { LintBody, LintOut } from "@/core/deliverability/schemas.ts";
import { lintTemplate } from "@/core/deliverability/template_lint.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Lint a step's subject and body: spam-trigger phrases, capitals, exclamation runs, links and " +
      "shorteners, length, personalisation, an opt-out line. Warnings only; saving is never blocked",
    auth: "user",
    body: LintBody,
    response: LintOut,
    handler: (_ctx, { body }) => Promise.resolve({ warnings: lintTemplate(body.subject, body.body) }),
  }),
});
