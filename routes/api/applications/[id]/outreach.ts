import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { Enroll, InboundOut, OutreachOut } from "@/core/outreach_schemas.ts";
import { assertStorableText } from "@/core/text_guard.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import { enrollContact, listOutreachForApplication } from "@/db/outreach.ts";
import { getMailStateForApplication } from "@/db/inbound_messages.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "The application's outreach timeline, one item per outreach row, and the inbound mail that " +
      "answered it with its kind (human, auto_reply, bounce, other)",
    auth: "user",
    response: z.object({ items: z.array(OutreachOut), inbound: z.array(InboundOut) }),
  },
  POST: {
    summary: "Enroll a contact in a sequence: one queued row per step, rendered; 409 for an opted-out or " +
      "bounced contact or one already in a live sequence here; 422 lists variables without a value",
    auth: "user",
    body: Enroll,
    response: z.object({ items: z.array(OutreachOut) }),
    status: 201,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "application");
    const items = await listOutreachForApplication(user.id, id);
    const { inbound } = await getMailStateForApplication(user.id, id);
    return Response.json({
      items,
      inbound: inbound.map(({ reasons: _reasons, ...view }) => view),
    });
  },
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "application");
    const input = assertStorableText(await parseJson(ctx.req, api.POST.body));
    return Response.json({ items: await enrollContact(ctx.state.app, user.id, id, input) }, { status: 201 });
  },
};
