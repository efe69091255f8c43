import { defineRoute, op } from "@/web/define_route.ts";
import { DnsQuery, MailboxDnsOut } from "@/core/deliverability/schemas.ts";
import { mailboxDns } from "@/services/deliverability/mailbox_checks.ts";
import { parseId } from "@/core/validate.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "The mailbox domain's SPF, DKIM, DMARC and MX, each pass/warn/fail with the record found and " +
      "the one expected: the last stored check, or a new one with ?refresh=1",
    auth: "admin",
    query: DnsQuery,
    response: MailboxDnsOut,
    before: (ctx) => void parseId(ctx.params.id, "mailbox"), // a bad id is a 404 before the query is read
    handler: (ctx, { app, query }) =>
      mailboxDns(app, parseId(ctx.params.id, "mailbox"), query.refresh === "1" || query.refresh === "true"),
  }),
});
