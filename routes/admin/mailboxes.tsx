/**
 * `/admin/mailboxes`: every sending mailbox with its health, status, today's cap (warm-up ramp applied) and
 * sends, failure streak, and a 14-day chart. Admin only: the bearer token, or the admin cookie set by typing
 * the token into this page's form (services/accounts/admin_session.ts). 404 when ROLEFERRY_ADMIN_TOKEN is unset.
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { adminLogin, adminLogout, isAdminRequest } from "@/services/accounts/admin_session.ts";
import { clientAddress } from "@/web/auth.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { formActions } from "@/web/form_actions.ts";
import { field, seeOther } from "@/core/page_forms.ts";
import type { AppState } from "@/web/state.ts";
import { listDailySends, listMailboxes, type MailboxView } from "@/db/mailboxes.ts";
import MailboxChart, { type DailySends } from "@/components/MailboxChart.tsx";
import SendingStatus from "@/components/SendingStatus.tsx";
import { countDueQueued, getMailboxSummary } from "@/db/outreach_waiting.ts";

type Data = { signedIn: false; message?: string } | {
  signedIn: true;
  mailboxes: MailboxView[];
  daily: DailySends[];
  summary: Awaited<ReturnType<typeof getMailboxSummary>>;
  due: number;
};

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    if (!(await isAdminRequest(ctx.state.app, ctx.req))) {
      return ctx.render({ signedIn: false } satisfies Data, { status: 401 });
    }
    const [mailboxes, daily, summary, due] = await Promise.all([
      listMailboxes(ctx.state.app.sql),
      listDailySends(ctx.state.app.sql, 14),
      getMailboxSummary(ctx.state.app.sql),
      countDueQueued(ctx.state.app.sql),
    ]);
    return ctx.render({ signedIn: true, mailboxes, daily, summary, due } satisfies Data, {
      headers: { "cache-control": "no-store" },
    });
  },
  // The sign-out form names its action; the sign-in form names none.
  POST: formActions({
    field: "action",
    guard: (ctx) => Promise.resolve(checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl)),
    fallback: "login",
    actions: {
      logout: async (ctx) =>
        seeOther("/admin/mailboxes", { "set-cookie": await adminLogout(ctx.state.app, ctx.req) }),
      login: async (ctx, { form }) => {
        const cookie = await adminLogin(ctx.state.app, field(form, "token"), clientAddress(ctx));
        if (!cookie) {
          return ctx.render({ signedIn: false, message: "Wrong admin token." } satisfies Data, {
            status: 401,
          });
        }
        return seeOther("/admin/mailboxes", { "set-cookie": cookie });
      },
    },
  }),
};

function when(value: Date | null): string {
  return value ? value.toISOString().slice(0, 16).replace("T", " ") : "—";
}

export default function MailboxesPage({ data }: PageProps<Data, AppState>) {
  if (!data.signedIn) {
    return (
      <section class="narrow panel">
        <h1>Mailboxes</h1>
        {data.message && <p class="notice notice-error" role="alert">{data.message}</p>}
        <form method="post" action="/admin/mailboxes" class="stack">
          <label for="token">Admin token</label>
          <input id="token" name="token" type="password" autocomplete="off" required />
          <button type="submit">Sign in</button>
        </form>
      </section>
    );
  }
  return (
    <>
      <h1>Mailboxes</h1>
      <SendingStatus summary={data.summary} due={data.due} />
      <p class="actions">
        <a href="/admin/mailboxes/new" class="button">Add a mailbox</a>
      </p>
      <section class="panel" aria-labelledby="today-heading">
        <h2 id="today-heading">Today</h2>
        <div class="table-scroll">
          <table id="mailboxes">
            <thead>
              <tr>
                <th scope="col">Mailbox</th>
                <th scope="col">Status</th>
                <th scope="col">Health</th>
                <th scope="col">Sent today / cap</th>
                <th scope="col">Daily cap</th>
                <th scope="col">Bounces 7d</th>
                <th scope="col">Complaints 7d</th>
                <th scope="col">Failures in a row</th>
                <th scope="col">Last sent (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {data.mailboxes.map((m) => (
                <tr key={m.id} data-mailbox={m.email}>
                  <th scope="row">
                    <a href={`/admin/mailboxes/${m.id}`}>{m.email}</a>{" "}
                    <a href={`/admin/mailboxes/${m.id}/dns`} class="muted">DNS</a>
                  </th>
                  <td>
                    {m.status}
                    {m.paused_reason && <div class="muted">{m.paused_reason}</div>}
                  </td>
                  <td>{m.health_score}</td>
                  <td>
                    <meter min={0} max={Math.max(1, m.send_cap)} value={m.sent_today}>{m.sent_today}</meter>
                    {" "}
                    {m.sent_today} / {m.send_cap}
                  </td>
                  <td>{m.daily_cap}{m.status === "warmup" && m.warmup_enabled ? " (warming up)" : ""}</td>
                  <td>{m.bounce_count_7d}</td>
                  <td>{m.spam_reports_7d}</td>
                  <td>{m.consecutive_failures}{m.last_error && <div class="muted">{m.last_error}</div>}</td>
                  <td>{when(m.last_sent_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {data.mailboxes.length === 0 && <p class="muted">No mailboxes yet.</p>}
      </section>
      <section class="panel" aria-labelledby="chart-heading">
        <h2 id="chart-heading">Sent per day, last 14 days (UTC)</h2>
        <MailboxChart rows={data.daily} />
      </section>
      <form method="post" action="/admin/mailboxes">
        <input type="hidden" name="action" value="logout" />
        <button type="submit" class="button-small">Sign out of admin</button>
      </form>
    </>
  );
}
