/**
 * Unsubscribe, linked from every outreach email's List-Unsubscribe header and
 * body. GET shows one button; POST (the button, or a mail provider's RFC 8058
 * one-click `List-Unsubscribe=One-Click`) opts the contact out at once and
 * cancels every queued step to them. No session or CSRF token: the link's
 * token (random, 192 bits) is the credential, and opting out is idempotent.
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { HttpError } from "@/core/http_error.ts";
import { readBody } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { getUnsubscribeState, unsubscribeByToken } from "@/db/outreach_events.ts";

interface Data {
  token: string;
  email: string;
  done: boolean;
}

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

function token(ctx: FreshContext<AppState>): string {
  const value = ctx.params.token ?? "";
  if (!TOKEN.test(value)) throw new HttpError(404, "this unsubscribe link is not valid");
  return value;
}

/** "a***@example.com": enough to recognise one's own address, not enough to harvest it. */
function masked(email: string): string {
  const [user, domain] = email.split("@");
  return `${user.slice(0, 1)}***@${domain ?? ""}`;
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const state = await getUnsubscribeState(ctx.state.app.sql, token(ctx));
    if (!state) throw new HttpError(404, "this unsubscribe link is not valid");
    return ctx.render(
      { token: token(ctx), email: masked(state.email), done: state.opted_out } satisfies Data,
      {
        headers: { "cache-control": "no-store", "referrer-policy": "no-referrer" },
      },
    );
  },
  async POST(ctx: FreshContext<AppState>) {
    await readBody(ctx.req, 64 * 1024); // "List-Unsubscribe=One-Click" or the button's empty form: either will do
    const result = await unsubscribeByToken(ctx.state.app.sql, token(ctx));
    if (!result) throw new HttpError(404, "this unsubscribe link is not valid");
    return ctx.render({ token: token(ctx), email: masked(result.email), done: true } satisfies Data, {
      headers: { "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  },
};

export default function UnsubscribePage({ data }: PageProps<Data, AppState>) {
  return (
    <section class="narrow panel">
      <h1>Unsubscribe</h1>
      {data.done
        ? (
          <p class="notice" role="status" id="unsubscribed">
            Done: {data.email} will not receive any more emails sent through RoleFerry.
          </p>
        )
        : (
          <form method="post" action={`/unsubscribe/${data.token}`} class="stack">
            <p>Stop all emails sent through RoleFerry to {data.email}?</p>
            <button type="submit" id="unsubscribe">Unsubscribe</button>
          </form>
        )}
    </section>
  );
}
