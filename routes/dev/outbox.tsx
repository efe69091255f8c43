/**
 * `/dev/outbox`: what the `outbox` transport stored instead of sending. It exists only while that is the
 * transport, and only in development and test (404 otherwise: in staging and production the outbox may
 * hold real people's addresses). It needs a signed-in user and shows that user's messages only: their
 * outreach, and system mail to their address (the messages carry unsubscribe links, tokens included).
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { HttpError } from "@/core/http_error.ts";
import { redirectToLogin } from "@/web/auth.ts";
import type { AppState } from "@/web/state.ts";
import { listOutboxMessages, type OutboxMessage } from "@/db/outbox.ts";

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const { config, sql } = ctx.state.app;
    const { env, mailTransport } = config;
    if ((env !== "development" && env !== "test") || mailTransport !== "outbox") {
      throw new HttpError(404, "not found");
    }
    const user = ctx.state.user;
    if (!user) return redirectToLogin(ctx.url);
    return ctx.render(await listOutboxMessages(sql, user, 100), { headers: { "cache-control": "no-store" } });
  },
};

export default function OutboxPage({ data }: PageProps<OutboxMessage[], AppState>) {
  return (
    <>
      <h1>Outbox</h1>
      <p class="muted">
        Development transport (MAIL_TRANSPORT=outbox): these messages were stored, not sent. Newest first.
      </p>
      {data.length === 0
        ? (
          <p class="muted">
            Nothing yet. Queue emails from an application: the dispatcher runs every minute (with
            `ROLEFERRY_CRON=off`, run `deno task worker` or `deno task job dispatch-outreach`), and the
            development mailboxes send them here.
          </p>
        )
        : (
          <ol class="outbox" id="outbox">
            {data.map((m) => (
              <li key={m.id} class="panel">
                <p class="meta">
                  <span>From {m.mailbox_email}</span>
                  <span>to {m.to_email}</span>
                  <span class="muted">{m.created_at.toISOString()}</span>
                </p>
                <details>
                  <summary>{m.subject}</summary>
                  <pre class="email-body">{m.body}</pre>
                  <p class="muted">
                    {Object.entries(m.headers).map(([k, v]) => `${k}: ${v}`).join(" · ")} · Message-ID{" "}
                    {m.message_id}
                  </p>
                </details>
              </li>
            ))}
          </ol>
        )}
    </>
  );
}
