import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { Enroll, PreviewOut } from "@/core/outreach_schemas.ts";
import { assertStorableText } from "@/core/text_guard.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import { previewEnrollment } from "@/db/outreach.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "The emails an enrollment would queue, rendered (overrides applied), with their due times; " +
      "queues nothing. Same checks and errors as POST /api/applications/:id/outreach",
    auth: "user",
    body: Enroll,
    response: PreviewOut,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "application");
    const input = assertStorableText(await parseJson(ctx.req, api.POST.body));
    return Response.json({ items: await previewEnrollment(ctx.state.app, user.id, id, input) });
  },
};
