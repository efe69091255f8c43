import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import { CreateMailbox, MailboxOut } from "@/core/outreach_schemas.ts";
import { assertStorableText } from "@/core/text_guard.ts";
import { parseJson } from "@/core/validate.ts";
import { listMailboxes } from "@/db/mailboxes.ts";
import { createMailboxChecked } from "@/services/deliverability/mailbox_checks.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary:
      "Every sending mailbox with health, caps (send_cap: today's, the warm-up ramp applied) and counters",
    auth: "admin",
    response: z.object({ items: z.array(MailboxOut) }),
  },
  POST: {
    summary: "Add a sending mailbox; the SMTP password is stored encrypted and never returned",
    auth: "admin",
    body: CreateMailbox,
    response: MailboxOut,
    status: 201,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.state.app, ctx.req);
    return Response.json({ items: await listMailboxes() });
  },
  async POST(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.state.app, ctx.req);
    const input = assertStorableText(await parseJson(ctx.req, api.POST.body));
    // production: 422 dns_check_failed when the domain's SPF, DKIM or DMARC fails (unless created paused)
    return Response.json(await createMailboxChecked(input, ctx.state.app.secrets), { status: 201 });
  },
};
