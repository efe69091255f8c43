/**
 * `/admin/mailboxes/:id`: one mailbox's health, counters and sends over the
 * last 14 days; edit its cap and warm-up, pause or resume it, and delete it
 * when it never sent. Admin only, like /admin/mailboxes.
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { isAdminRequest } from "@/services/accounts/admin_session.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { formActions } from "@/web/form_actions.ts";
import { HttpError } from "@/core/http_error.ts";
import { type FieldErrors, seeOther } from "@/core/page_forms.ts";
import { parseMailboxChanges } from "@/web/mailbox_forms.ts";
import { parseId } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { listDailySends, type MailboxView } from "@/db/mailboxes.ts";
import { deleteMailbox, getMailbox } from "@/db/mailbox_admin.ts";
import { updateMailboxChecked } from "@/services/deliverability/mailbox_checks.ts";
import type { AppContext } from "@/services/app_context.ts";
import MailboxChart, { type DailySends } from "@/components/MailboxChart.tsx";
import ErrorSummary from "@/components/ErrorSummary.tsx";
import TextField from "@/components/TextField.tsx";

interface Data {
  mailbox: MailboxView;
  daily: DailySends[];
  errors?: FieldErrors;
  values?: Record<string, string>;
}

async function load(app: AppContext, id: number): Promise<Omit<Data, "errors" | "values">> {
  const mailbox = await getMailbox(app.sql, id);
  if (!mailbox) throw new HttpError(404, "mailbox not found");
  const daily = (await listDailySends(app.sql, 14)).filter((d) => d.email === mailbox.email);
  return { mailbox, daily };
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    if (!(await isAdminRequest(ctx.state.app, ctx.req))) {
      throw new HttpError(401, "sign in on /admin/mailboxes first");
    }
    return ctx.render(await load(ctx.state.app, parseId(ctx.params.id, "mailbox")), {
      headers: { "cache-control": "no-store" },
    });
  },
  // The page's forms name their action in a hidden `action` field; the edit form names none ("save").
  POST: formActions({
    field: "action",
    guard: adminOnMailbox,
    fallback: "save",
    actions: {
      delete: async (ctx, { guarded: { app, id } }) => {
        try {
          await deleteMailbox(app.sql, id);
        } catch (error) {
          if (!(error instanceof HttpError) || error.status !== 409) throw error;
          return ctx.render({ ...(await load(app, id)), errors: { delete: error.message } } satisfies Data, {
            status: 409,
          });
        }
        return seeOther("/admin/mailboxes?deleted=1");
      },
      pause: (_ctx, { guarded: { app, id } }) => setStatus(app, id, "pause"),
      resume: (_ctx, { guarded: { app, id } }) => setStatus(app, id, "resume"),
      save: async (ctx, { form, guarded: { app, id } }) => {
        const parsed = parseMailboxChanges(form);
        if (!parsed.ok) {
          const values = Object.fromEntries(form);
          return ctx.render({ ...(await load(app, id)), errors: parsed.errors, values } satisfies Data, {
            status: 422,
          });
        }
        await updateMailboxChecked(app, id, parsed.value);
        return seeOther(`/admin/mailboxes/${id}?saved=1`);
      },
    },
  }),
};

/** The admin, on this page's mailbox (before the form is read). */
async function adminOnMailbox(ctx: FreshContext<AppState>): Promise<{ app: AppContext; id: number }> {
  const { app } = ctx.state;
  checkOrigin(ctx.req, app.config.appBaseUrl);
  if (!(await isAdminRequest(app, ctx.req))) throw new HttpError(401, "sign in on /admin/mailboxes first");
  return { app, id: parseId(ctx.params.id, "mailbox") };
}

async function setStatus(app: AppContext, id: number, action: "pause" | "resume"): Promise<Response> {
  await updateMailboxChecked(app, id, { status: action === "pause" ? "paused" : "active" });
  return seeOther(`/admin/mailboxes/${id}?saved=${action}`);
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");
const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "never");

export default function MailboxPage({ data, url }: PageProps<Data, AppState>) {
  const m = data.mailbox;
  const v = data.values ?? {
    daily_cap: String(m.daily_cap),
    warmup_start_date: day(m.warmup_start_date),
    ...(m.warmup_enabled ? { warmup_enabled: "on" } : {}),
  };
  return (
    <>
      <p>
        <a href="/admin/mailboxes">← Mailboxes</a>
      </p>
      <h1>{m.email}</h1>
      {(url.searchParams.has("saved") || url.searchParams.has("created")) && !data.errors && (
        <p class="notice notice-ok" role="status">
          {url.searchParams.has("created") ? "Mailbox added." : "Saved."}
        </p>
      )}
      <ErrorSummary errors={data.errors} title="Not saved" />
      <section class="panel" aria-labelledby="state-heading">
        <h2 id="state-heading">State</h2>
        <dl class="facts">
          <dt>Status</dt>
          <dd data-mailbox-status={m.status}>
            {m.status}
            {m.paused_reason ? ` (${m.paused_reason})` : ""}
          </dd>
          <dt>Health</dt>
          <dd>{m.health_score} / 100</dd>
          <dt>Sent today</dt>
          <dd>{m.sent_today} of {m.send_cap} allowed today</dd>
          <dt>Bounces, complaints (7 days)</dt>
          <dd>{m.bounce_count_7d}, {m.spam_reports_7d}</dd>
          <dt>Failures in a row</dt>
          <dd>{m.consecutive_failures}{m.last_error ? `: ${m.last_error}` : ""}</dd>
          <dt>Last sent</dt>
          <dd>{when(m.last_sent_at)}</dd>
          <dt>SMTP</dt>
          <dd>{m.smtp_username} @ {m.smtp_host}:{m.smtp_port}</dd>
        </dl>
        <form method="post" class="actions">
          {m.status === "paused"
            ? <button type="submit" name="action" value="resume">Resume sending</button>
            : (
              <button type="submit" name="action" value="pause" class="button-secondary">
                Pause sending
              </button>
            )}
        </form>
      </section>
      <section class="panel" aria-labelledby="edit-heading">
        <h2 id="edit-heading">Cap and warm-up</h2>
        <form method="post" class="stack" novalidate>
          <input type="hidden" name="action" value="edit" />
          <TextField
            id="daily_cap"
            name="daily_cap"
            label="Daily cap"
            inputMode="numeric"
            value={v.daily_cap}
            errors={data.errors}
          />
          <label class="inline">
            <input type="checkbox" name="warmup_enabled" checked={v.warmup_enabled === "on"} />{" "}
            Ramp up over 30 days
          </label>
          <TextField
            id="warmup_start_date"
            name="warmup_start_date"
            type="date"
            label="Warm-up started"
            value={v.warmup_start_date}
            errors={data.errors}
          />
          <div>
            <button type="submit">Save</button>
          </div>
        </form>
      </section>
      <section class="panel" aria-labelledby="chart-heading">
        <h2 id="chart-heading">Sent per day, last 14 days (UTC)</h2>
        <MailboxChart rows={data.daily} />
      </section>
      <section class="panel" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete</h2>
        <p class="muted">Only a mailbox that never sent can be deleted; pause one that did.</p>
        <form method="post" data-confirm={`Delete ${m.email}?`} id="delete">
          <input type="hidden" name="action" value="delete" />
          <button type="submit" class="button-danger">Delete this mailbox</button>
        </form>
      </section>
    </>
  );
}
