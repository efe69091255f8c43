import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { confirmVerification } from "@/services/accounts/account.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { HttpError } from "@/core/http_error.ts";
import type { AppState } from "@/web/state.ts";

interface Data {
  token: string;
  done?: boolean;
  error?: string;
}

/**
 * The link of the verification email. GET only shows a button: mail scanners that follow links must not use the
 * token up; the POST confirms.
 */
export const handler = {
  GET(ctx: FreshContext<AppState>) {
    return ctx.render({ token: ctx.params.token ?? "" } satisfies Data, {
      headers: { "referrer-policy": "same-origin", "cache-control": "no-store" },
    });
  },
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    const token = ctx.params.token ?? "";
    try {
      await confirmVerification(ctx.state.app.sql, token, ctx.state.user?.id);
    } catch (error) {
      if (error instanceof HttpError && error.status === 400) {
        return ctx.render({ token, error: error.message } satisfies Data, { status: 400 });
      }
      throw error;
    }
    return ctx.render({ token: "", done: true } satisfies Data);
  },
};

export default function VerifyPage({ data, state }: PageProps<Data, AppState>) {
  return (
    <section class="narrow panel">
      <h1>Confirm your email address</h1>
      {data.done && (
        <p class="notice notice-ok" role="status">
          Thank you: your address is confirmed and outreach can go out.{" "}
          {state.user ? <a href="/account">Your account</a> : <a href="/login">Log in</a>}
        </p>
      )}
      {data.error && (
        <p class="notice notice-error" role="alert">
          {data.error} {state.user && <a href="/account">Send a new link from your account page</a>}
        </p>
      )}
      {!data.done && !data.error && (
        <form method="post" action={`/verify/${encodeURIComponent(data.token)}`}>
          <button type="submit">Confirm my address</button>
        </form>
      )}
    </section>
  );
}
