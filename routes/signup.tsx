import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { clientAddress, safeNext, signUp } from "@/web/auth.ts";
import { SignupBody } from "@/core/auth_schemas.ts";
import { checkOrigin } from "@/web/csrf.ts";
import { HttpError } from "@/core/http_error.ts";
import { field, type FieldErrors, readForm, seeOther } from "@/core/page_forms.ts";
import { issuesToFields } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import FieldError from "@/components/FieldError.tsx";
import { setUserTimezone } from "@/db/user_timezone.ts";

interface Data {
  values: { email: string; full_name: string; mode: string };
  errors?: FieldErrors;
  next: string;
}

export const handler = {
  GET(ctx: FreshContext<AppState>) {
    const next = safeNext(ctx.url.searchParams.get("next"), ctx.state.app.config.appBaseUrl);
    if (ctx.state.user) return seeOther(next);
    return ctx.render({ values: { email: "", full_name: "", mode: "job_seeker" }, next } satisfies Data);
  },
  async POST(ctx: FreshContext<AppState>) {
    checkOrigin(ctx.req, ctx.state.app.config.appBaseUrl);
    const form = await readForm(ctx.req);
    const next = safeNext(field(form, "next"), ctx.state.app.config.appBaseUrl);
    const values = {
      email: field(form, "email"),
      full_name: field(form, "full_name"),
      mode: field(form, "mode"),
    };
    const parsed = SignupBody.safeParse({ ...values, password: field(form, "password") });
    if (!parsed.success) {
      return ctx.render({ values, errors: issuesToFields(parsed.error.issues), next } satisfies Data, {
        status: 422,
      });
    }
    try {
      const signed = await signUp(ctx.state.app, parsed.data, {
        address: clientAddress(ctx),
        userAgent: ctx.req.headers.get("user-agent"),
      });
      await setUserTimezone(ctx.state.app.sql, signed.user.id, field(form, "timezone")); // the browser's zone (static/page.js)
      const home = parsed.data.mode === "recruiter" ? "/roles" : "/settings?welcome=1"; // recruiters: no resume
      return seeOther(next === "/" ? home : next, { "set-cookie": signed.cookie });
    } catch (error) {
      if (error instanceof HttpError && error.status === 409) {
        return ctx.render({ values, errors: { email: "An account with this email already exists." }, next }, {
          status: 409,
        });
      }
      throw error;
    }
  },
};

export default function SignupPage({ data }: PageProps<Data, AppState>) {
  const { values, errors, next } = data;
  return (
    <section class="narrow panel">
      <h1>Create your account</h1>
      <p class="muted">Free. Your resume and preferences stay yours.</p>
      <form method="post" action="/signup" class="stack" noValidate>
        <input type="hidden" name="next" value={next} />
        <input type="hidden" name="timezone" value="" data-browser-timezone />
        <div>
          <label for="full_name">Full name</label>
          <input
            id="full_name"
            name="full_name"
            type="text"
            autocomplete="name"
            required
            value={values.full_name}
          />
          <FieldError errors={errors} name="full_name" />
        </div>
        <div>
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="email" required value={values.email} />
          <FieldError errors={errors} name="email" />
        </div>
        <div>
          <label for="password">
            Password <span class="hint">(at least 10 characters)</span>
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minLength={10}
          />
          <FieldError errors={errors} name="password" />
        </div>
        <fieldset>
          <legend>I am</legend>
          <div class="checks">
            <label>
              <input type="radio" name="mode" value="job_seeker" checked={values.mode !== "recruiter"} />{" "}
              looking for a job
            </label>
            <label>
              <input type="radio" name="mode" value="recruiter" checked={values.mode === "recruiter"} />{" "}
              a recruiter
            </label>
          </div>
          <FieldError errors={errors} name="mode" />
        </fieldset>
        <button type="submit">Sign up</button>
      </form>
      <p>
        Already have an account? <a href={`/login?next=${encodeURIComponent(next)}`}>Log in</a>
      </p>
    </section>
  );
}
