/**
 * `/admin/mailboxes/new`: add a sending mailbox, with its SMTP credentials
 * (MAIL_TRANSPORT=smtp) or only its address and Mailgun domain (mailgun).
 * Admin only, like /admin/mailboxes; what was typed stays after a failed
 * submit, except the password.
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { isAdminRequest } from "@/services/accounts/admin_session.ts";
import type { AppContext } from "@/services/app_context.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { HttpError } from "@/core/http_error.ts";
import { type FieldErrors, readForm, seeOther } from "@/core/page_forms.ts";
import { parseNewMailbox } from "@/web/mailbox_forms.ts";
import type { AppState } from "@/web/state.ts";
import { createMailboxChecked } from "@/services/deliverability/mailbox_checks.ts";
import ErrorSummary from "@/components/ErrorSummary.tsx";
import TextField from "@/components/TextField.tsx";

interface Data {
  transport: string;
  values: Record<string, string>;
  errors?: FieldErrors;
}

async function requireAdminPage(app: AppContext, req: Request): Promise<void> {
  if (!(await isAdminRequest(app, req))) throw new HttpError(401, "sign in on /admin/mailboxes first");
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    await requireAdminPage(ctx.state.app, ctx.req);
    return ctx.render({
      transport: ctx.state.app.config.mailTransport,
      values: { status: "warmup", warmup_enabled: "on" },
    });
  },
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    await requireAdminPage(ctx.state.app, ctx.req);
    const form = await readForm(ctx.req);
    const transport = ctx.state.app.config.mailTransport;
    const values = Object.fromEntries([...form].filter(([k]) => k !== "smtp_password" && k !== "_csrf"));
    const parsed = parseNewMailbox(form, transport);
    if (!parsed.ok) {
      return ctx.render({ transport, values, errors: parsed.errors } satisfies Data, { status: 422 });
    }
    try {
      const mailbox = await createMailboxChecked(ctx.state.app, parsed.value);
      return seeOther(`/admin/mailboxes/${mailbox.id}?created=1`);
    } catch (error) {
      if (!(error instanceof HttpError) || (error.status !== 409 && error.status !== 422)) throw error;
      // 422: production refuses a domain whose SPF, DKIM or DMARC fails (fields dns.spf, dns.dkim, dns.dmarc)
      return ctx.render(
        { transport, values, errors: error.fields ?? { email: error.message } } satisfies Data,
        {
          status: error.status,
        },
      );
    }
  },
};

export default function NewMailboxPage({ data }: PageProps<Data, AppState>) {
  const { values: v, errors } = data;
  const mailgun = data.transport === "mailgun";
  return (
    <section class="narrow panel">
      <p>
        <a href="/admin/mailboxes">← Mailboxes</a>
      </p>
      <h1>Add a mailbox</h1>
      <p class="muted">
        {mailgun
          ? "Mail goes through Mailgun: give the address and its Mailgun sending domain; SMTP fields are optional."
          : data.transport === "smtp"
          ? "Mail goes through each mailbox's own SMTP server: give its host, port, user name and password."
          : "Development outbox: nothing is really sent, so any SMTP values will do."}
      </p>
      <form method="post" action="/admin/mailboxes/new" class="stack" novalidate>
        <ErrorSummary errors={errors} title="The mailbox was not added" />
        <TextField
          id="email"
          name="email"
          type="email"
          label="Address"
          value={v.email}
          errors={errors}
          required
        />
        <TextField
          id="domain"
          name="domain"
          label="Sending domain"
          hint="defaults to the address's domain"
          value={v.domain}
          errors={errors}
        />
        <TextField
          id="smtp_host"
          name="smtp_host"
          label="SMTP host"
          hint={mailgun ? "optional" : undefined}
          value={v.smtp_host}
          errors={errors}
        />
        <TextField
          id="smtp_port"
          name="smtp_port"
          label="SMTP port"
          hint="587 when empty"
          inputMode="numeric"
          value={v.smtp_port}
          errors={errors}
        />
        <TextField
          id="smtp_username"
          name="smtp_username"
          label="SMTP user name"
          hint={mailgun ? "optional" : undefined}
          value={v.smtp_username}
          errors={errors}
          autocomplete="off"
        />
        <TextField
          id="smtp_password"
          name="smtp_password"
          type="password"
          label="SMTP password"
          hint="stored encrypted, never shown again"
          errors={errors}
          autocomplete="new-password"
        />
        <TextField
          id="daily_cap"
          name="daily_cap"
          label="Daily cap"
          hint="emails a day once warmed up; 50 when empty"
          inputMode="numeric"
          value={v.daily_cap}
          errors={errors}
        />
        <div class="field">
          <label for="status">Start as</label>
          <select id="status" name="status">
            <option value="warmup" selected={v.status !== "active" && v.status !== "paused"}>
              Warming up
            </option>
            <option value="active" selected={v.status === "active"}>Active</option>
            <option value="paused" selected={v.status === "paused"}>Paused</option>
          </select>
        </div>
        <label class="inline">
          <input type="checkbox" name="warmup_enabled" checked={v.warmup_enabled === "on"} />{" "}
          Ramp up over 30 days
        </label>
        <div>
          <button type="submit">Add mailbox</button>
        </div>
      </form>
    </section>
  );
}
