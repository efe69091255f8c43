import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requestPasswordReset } from "@/services/accounts/account.ts";
import { PasswordResetBody } from "@/core/account_schemas.ts";
import { clientAddress } from "@/web/auth.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { HttpError } from "@/core/http_error.ts";
import { field, type FieldErrors, readForm } from "@/core/page_forms.ts";
import { issuesToFields } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import FieldError from "@/components/FieldError.tsx";

interface Data {
  email: string;
  sent?: boolean;
  errors?: FieldErrors;
  notice?: string;
}

export const handler = {
  GET(ctx: FreshContext<AppState>) {
    return ctx.render({ email: "" } satisfies Data);
  },
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    const form = await readForm(ctx.req);
    const email = field(form, "email");
    const parsed = PasswordResetBody.safeParse({ email });
    if (!parsed.success) {
      return ctx.render({ email, errors: issuesToFields(parsed.error.issues) } satisfies Data, {
        status: 422,
      });
    }
    try {
      await requestPasswordReset(ctx.state.app, parsed.data.email, clientAddress(ctx));
    } catch (error) {
      if (error instanceof HttpError && error.status === 429) {
        return ctx.render({ email, notice: error.message } satisfies Data, { status: 429 });
      }
      throw error;
    }
    // The same page whether or not the address has an account.
    return ctx.render({ email: parsed.data.email, sent: true } satisfies Data, { status: 202 });
  },
};

export default function ForgotPasswordPage({ data }: PageProps<Data, AppState>) {
  return (
    <section class="narrow panel">
      <h1>Forgot your password?</h1>
      {data.sent
        ? (
          <p class="notice notice-ok" role="status">
            If an account uses{" "}
            {data.email}, we sent it a link to choose a new password. The link works once, for one hour.
          </p>
        )
        : (
          <p class="muted">
            Type the address you signed up with; we email you a link to choose a new password.
          </p>
        )}
      {data.notice && <p class="notice notice-error" role="alert">{data.notice}</p>}
      <form method="post" action="/forgot-password" class="stack" noValidate>
        <div>
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="email" required value={data.email} />
          <FieldError errors={data.errors} name="email" />
        </div>
        <button type="submit">Send the link</button>
      </form>
      <p>
        <a href="/login">Back to log in</a>
      </p>
    </section>
  );
}
