/**
 * `/admin/mailboxes/:id/dns`: the mailbox domain's SPF, DKIM, DMARC and MX
 * state (the last stored check, or a new one), a button to check again, and
 * one to activate the mailbox, which production refuses while SPF, DKIM or
 * DMARC fails (422, the failing records named). Admin only, like /admin/mailboxes.
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { isAdminRequest } from "@/services/accounts/admin_session.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { field, readForm, seeOther } from "@/core/page_forms.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseId } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import {
  assertDomainMaySend,
  mailboxDns,
  type MailboxDnsAnswer,
} from "@/services/deliverability/mailbox_checks.ts";
import { activateMailbox, getMailboxDnsRow, type MailboxDnsRow } from "@/db/mailbox_dns.ts";
import type { AppContext } from "@/services/app_context.ts";
import MailboxDnsTable from "@/components/MailboxDnsTable.tsx";

interface Data {
  mailbox: MailboxDnsRow;
  dns: MailboxDnsAnswer;
  error?: string;
}

async function load(app: AppContext, id: number, refresh: boolean): Promise<Data> {
  const mailbox = await getMailboxDnsRow(app.sql, id);
  if (!mailbox) throw new HttpError(404, "mailbox not found");
  return { mailbox, dns: await mailboxDns(app, id, refresh) };
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    if (!(await isAdminRequest(ctx.state.app, ctx.req))) return seeOther("/admin/mailboxes");
    const data = await load(ctx.state.app, parseId(ctx.params.id, "mailbox"), false);
    return ctx.render(data, { headers: { "cache-control": "no-store" } });
  },
  async POST(ctx: FreshContext<AppState>) {
    const { app } = ctx.state;
    checkOrigin(ctx.req, app.config.appBaseUrl);
    if (!(await isAdminRequest(app, ctx.req))) return seeOther("/admin/mailboxes");
    const id = parseId(ctx.params.id, "mailbox");
    const action = field(await readForm(ctx.req), "action");
    if (action === "refresh") {
      await load(app, id, true);
      return seeOther(`/admin/mailboxes/${id}/dns`);
    }
    if (action !== "activate") throw new HttpError(400, "unknown action");
    const data = await load(app, id, false);
    try {
      await assertDomainMaySend(app, data.mailbox, "active");
    } catch (error) {
      if (!(error instanceof HttpError) || error.code !== "dns_check_failed") throw error;
      const dns = await mailboxDns(app, id, false);
      return ctx.render({ ...data, dns, error: error.message }, { status: 422 });
    }
    await activateMailbox(app.sql, id);
    return seeOther(`/admin/mailboxes/${id}/dns`);
  },
};

export default function MailboxDnsPage({ data }: PageProps<Data, AppState>) {
  const { mailbox, dns } = data;
  return (
    <>
      <h1>DNS of {mailbox.domain}</h1>
      <p>
        Mailbox #{mailbox.id}, status <strong id="mailbox-status">{mailbox.status}</strong>, DKIM selector
        {" "}
        <code>{mailbox.dkim_selector}</code>. <a href="/admin/mailboxes">All mailboxes</a>
      </p>
      {data.error && <p class="notice notice-error" role="alert">{data.error}</p>}
      <section class="panel">
        <MailboxDnsTable checks={dns} />
        <p class="muted">
          Checked {dns.checked_at ? dns.checked_at.slice(0, 16).replace("T", " ") + " UTC" : "never"}.
        </p>
        <form method="post" class="actions">
          <button type="submit" name="action" value="refresh" class="button-secondary">Check again</button>
          {mailbox.status !== "active" && (
            <button type="submit" name="action" value="activate" id="activate-mailbox">Activate</button>
          )}
        </form>
      </section>
    </>
  );
}
