import { defineRoute, op } from "@/web/define_route.ts";
import { Enroll, PreviewOut } from "@/core/outreach_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { previewEnrollment } from "@/services/sequences/enrollment.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "The emails an enrollment would queue, rendered (overrides applied), with their due times; " +
      "queues nothing. Same checks and errors as POST /api/applications/:id/outreach",
    auth: "user",
    body: Enroll,
    response: PreviewOut,
    before: (ctx) => void parseId(ctx.params.id, "application"),
    handler: async (ctx, { app, user, body }) => ({
      items: await previewEnrollment(app, user.id, parseId(ctx.params.id, "application"), body),
    }),
  }),
});
