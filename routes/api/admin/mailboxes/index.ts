import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { CreateMailbox, MailboxOut } from "@/core/outreach_schemas.ts";
import { listMailboxes } from "@/db/mailboxes.ts";
import { createMailboxChecked } from "@/services/deliverability/mailbox_checks.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary:
      "Every sending mailbox with health, caps (send_cap: today's, the warm-up ramp applied) and counters",
    auth: "admin",
    response: z.object({ items: z.array(MailboxOut) }),
    handler: async (_ctx, { app }) => ({ items: await listMailboxes(app.sql) }),
  }),
  POST: op({
    summary: "Add a sending mailbox; the SMTP password is stored encrypted and never returned",
    auth: "admin",
    body: CreateMailbox,
    response: MailboxOut,
    status: 201,
    // production: 422 dns_check_failed when the domain's SPF, DKIM or DMARC fails (unless created paused)
    handler: (_ctx, { app, body }) => createMailboxChecked(app, body),
  }),
});
