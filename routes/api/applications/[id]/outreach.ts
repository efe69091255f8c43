import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { Enroll, InboundOut, OutreachOut } from "@/core/outreach_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { listOutreachForApplication } from "@/db/outreach.ts";
import { getMailStateForApplication } from "@/db/inbound_messages.ts";
import { enrollContact } from "@/services/sequences/enrollment.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "The application's outreach timeline, one item per outreach row, and the inbound mail that " +
      "answered it with its kind (human, auto_reply, bounce, other)",
    auth: "user",
    response: z.object({ items: z.array(OutreachOut), inbound: z.array(InboundOut) }),
    handler: async (ctx, { app, user }) => {
      const id = parseId(ctx.params.id, "application");
      const items = await listOutreachForApplication(app.sql, user.id, id);
      const { inbound } = await getMailStateForApplication(app.sql, user.id, id);
      return { items, inbound: inbound.map(({ reasons: _reasons, ...view }) => view) };
    },
  }),
  POST: op({
    summary: "Enroll a contact in a sequence: one queued row per step, rendered; 409 for an opted-out or " +
      "bounced contact or one already in a live sequence here; 422 lists variables without a value",
    auth: "user",
    body: Enroll,
    response: z.object({ items: z.array(OutreachOut) }),
    status: 201,
    before: (ctx) => void parseId(ctx.params.id, "application"),
    handler: async (ctx, { app, user, body }) => ({
      items: await enrollContact(app, user.id, parseId(ctx.params.id, "application"), body),
    }),
  }),
});
