import { defineApi } from "@/web/api.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import { DnsQuery, MailboxDnsOut } from "@/core/deliverability/schemas.ts";
import { mailboxDns } from "@/services/deliverability/mailbox_checks.ts";
import { parseId, parseQuery } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "The mailbox domain's SPF, DKIM, DMARC and MX, each pass/warn/fail with the record found and " +
      "the one expected: the last stored check, or a new one with ?refresh=1",
    auth: "admin",
    query: DnsQuery,
    response: MailboxDnsOut,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.state.app, ctx.req);
    const id = parseId(ctx.params.id, "mailbox");
    const { refresh } = parseQuery(new URL(ctx.req.url), api.GET.query);
    return Response.json(await mailboxDns(id, refresh === "1" || refresh === "true"));
  },
};
