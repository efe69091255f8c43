import { defineRoute, op } from "@/web/define_route.ts";
import { MailboxOut, UpdateMailbox } from "@/core/outreach_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { deleteMailbox } from "@/db/mailbox_admin.ts";
import { updateMailboxChecked } from "@/services/deliverability/mailbox_checks.ts";

export const { handler, api } = defineRoute({
  PATCH: op({
    summary: "Change a mailbox's cap, warm-up or status (pause and resume); the password is never returned",
    auth: "admin",
    body: UpdateMailbox,
    response: MailboxOut,
    before: (ctx) => void parseId(ctx.params.id, "mailbox"), // a bad id is a 404 before the body is read
    handler: (ctx, { app, body }) => updateMailboxChecked(app, parseId(ctx.params.id, "mailbox"), body),
  }),
  DELETE: op({
    summary: "Delete a mailbox that never sent (409 otherwise: pause it instead)",
    auth: "admin",
    status: 204,
    handler: async (ctx, { app }) => {
      await deleteMailbox(app.sql, parseId(ctx.params.id, "mailbox"));
      return new Response(null, { status: 204 });
    },
  }),
});
