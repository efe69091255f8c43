import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { clientAddress, logIn, safeNext } from "@/web/auth.ts";
import { LoginBody } from "@/core/auth_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { HttpError } from "@/core/http_error.ts";
import { field, type FieldErrors, readForm, seeOther } from "@/core/page_forms.ts";
import { issuesToFields } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import FieldError from "@/components/FieldError.tsx";

interface Data {
  email: string;
  next: string;
  errors?: FieldErrors;
  message?: string;
}

export const handler = {
  GET(ctx: FreshContext<AppState>) {
    const next = safeNext(ctx.url.searchParams.get("next"), ctx.state.app.config.appBaseUrl);
    if (ctx.state.user) return seeOther(next);
    return ctx.render({ email: "", next } satisfies Data);
  },
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    const form = await readForm(ctx.req);
    const next = safeNext(field(form, "next"), ctx.state.app.config.appBaseUrl);
    const email = field(form, "email");
    const parsed = LoginBody.safeParse({ email, password: field(form, "password") });
    if (!parsed.success) {
      return ctx.render({ email, next, errors: issuesToFields(parsed.error.issues) } satisfies Data, {
        status: 422,
      });
    }
    try {
      const signed = await logIn(ctx.state.app, parsed.data, {
        address: clientAddress(ctx),
        userAgent: ctx.req.headers.get("user-agent"),
      });
      return seeOther(next, { "set-cookie": signed.cookie });
    } catch (error) {
      if (error instanceof HttpError && (error.status === 401 || error.status === 429)) {
        const message = error.status === 401
          ? "Wrong email or password."
          : `Too many attempts. Try again in ${
            Math.ceil(Number(error.headers?.["retry-after"] ?? 60) / 60)
          } minutes.`;
        return ctx.render({ email, next, message } satisfies Data, {
          status: error.status,
          headers: error.headers,
        });
      }
      throw error;
    }
  },
};

export default function LoginPage({ data }: PageProps<Data, AppState>) {
  return (
    <section class="narrow panel">
      <h1>Log in</h1>
      {data.message && <p class="notice notice-error" role="alert">{data.message}</p>}
      <form method="post" action="/login" class="stack" noValidate>
        <input type="hidden" name="next" value={data.next} />
        <div>
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={data.email} />
          <FieldError errors={data.errors} name="email" />
        </div>
        <div>
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <FieldError errors={data.errors} name="password" />
        </div>
        <button type="submit">Log in</button>
      </form>
      <p>
        New here? <a href={`/signup?next=${encodeURIComponent(data.next)}`}>Create an account</a> ·{" "}
        <a href="/forgot-password">Forgot your password?</a>
      </p>
    </section>
  );
}
