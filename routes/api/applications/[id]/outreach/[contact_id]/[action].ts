import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { HttpError } from "@/core/http_error.ts";
import { OutreachOut } from "@/core/outreach_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { changeSequence, type SequenceAction } from "@/db/outreach_control.ts";

const ACTIONS: SequenceAction[] = ["pause", "resume", "stop"];

export const { handler, api } = defineRoute({
  POST: op({
    summary: "`pause`, `resume` or `stop` the contact's sequence in this application: pausing keeps the " +
      "steps, resuming moves their due times forward by the pause's length, stopping cancels what is not " +
      "sent; answers the contact's rows after the change (409 when there is nothing to change)",
    auth: "user",
    response: z.object({ items: z.array(OutreachOut) }),
    handler: async (ctx, { app, user }) => {
      const id = parseId(ctx.params.id, "application");
      const contactId = parseId(ctx.params.contact_id, "contact");
      const action = ctx.params.action as SequenceAction;
      if (!ACTIONS.includes(action)) {
        throw new HttpError(404, `no action "${ctx.params.action}"; actions: ${ACTIONS.join(", ")}`);
      }
      return { items: await changeSequence(app.sql, user.id, id, contactId, action) };
    },
  }),
});
