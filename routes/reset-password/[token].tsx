import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { confirmPasswordReset } from "@/services/accounts/account.ts";
import { NewPassword } from "@/core/account_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { HttpError } from "@/core/http_error.ts";
import { field, readForm } from "@/core/page_forms.ts";
import type { AppState } from "@/web/state.ts";

interface Data {
  token: string;
  done?: boolean;
  error?: string;
}

export const handler = {
  GET(ctx: FreshContext<AppState>) {
    return ctx.render({ token: ctx.params.token ?? "" } satisfies Data, {
      headers: { "referrer-policy": "same-origin", "cache-control": "no-store" },
    });
  },
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    const token = ctx.params.token ?? "";
    const form = await readForm(ctx.req);
    const password = field(form, "password");
    const parsed = NewPassword.safeParse(password);
    if (!parsed.success) {
      return ctx.render({ token, error: `The password ${parsed.error.issues[0].message}.` } satisfies Data, {
        status: 422,
      });
    }
    if (password !== field(form, "password_again")) {
      return ctx.render({ token, error: "The two passwords differ." } satisfies Data, { status: 422 });
    }
    try {
      await confirmPasswordReset(ctx.state.app, token, parsed.data);
    } catch (error) {
      if (error instanceof HttpError && error.status === 400) {
        return ctx.render({ token, error: error.message } satisfies Data, { status: 400 });
      }
      throw error;
    }
    return ctx.render({ token: "", done: true } satisfies Data);
  },
};

export default function ResetPasswordPage({ data }: PageProps<Data, AppState>) {
  if (data.done) {
    return (
      <section class="narrow panel">
        <h1>Password changed</h1>
        <p class="notice notice-ok" role="status">
          Your new password is set and every session was signed out. <a href="/login">Log in</a>
        </p>
      </section>
    );
  }
  return (
    <section class="narrow panel">
      <h1>Choose a new password</h1>
      {data.error && (
        <p class="notice notice-error" role="alert">
          {data.error} <a href="/forgot-password">Ask for a new link</a>
        </p>
      )}
      <form method="post" action={`/reset-password/${encodeURIComponent(data.token)}`} class="stack">
        <div>
          <label for="password">
            New password <span class="hint">(at least 10 characters)</span>
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minLength={10}
          />
        </div>
        <div>
          <label for="password_again">The same again</label>
          <input
            id="password_again"
            name="password_again"
            type="password"
            autocomplete="new-password"
            required
            minLength={10}
          />
        </div>
        <button type="submit">Set the password</button>
      </form>
    </section>
  );
}
