import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { resendVerification } from "@/services/accounts/account.ts";
import { changePassword, deleteMe, patchMe } from "@/services/accounts/account_settings.ts";
import { ChangePasswordBody, UpdateMeBody } from "@/core/account_schemas.ts";
import { clearedSessionCookie, requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { field, type FieldErrors, seeOther } from "@/core/page_forms.ts";
import { issuesToFields } from "@/core/validate.ts";
import type { AppState, SessionUser } from "@/web/state.ts";
import type { AppContext } from "@/services/app_context.ts";
import { type FormAction, formActions } from "@/web/form_actions.ts";
import { endSession, listSessions, type SessionRow } from "@/db/account.ts";
import { getPlanUsage, type PlanUsage } from "@/db/plans.ts";
import { getMe, type PublicUser } from "@/db/users.ts";
import CsrfField from "@/components/CsrfField.tsx";
import FieldError from "@/components/FieldError.tsx";

type Form = "email" | "password" | "delete" | "resend";

interface Data {
  me: PublicUser;
  sessions: SessionRow[];
  usage?: PlanUsage;
  saved?: string;
  errors?: { form: Form; fields: FieldErrors; message?: string };
}

const SAVED: Record<string, string> = {
  email: "Email changed: follow the link we sent to the new address to confirm it.",
  password: "Password changed; your other sessions were signed out.",
  session: "The session was ended.",
  resend: "We sent a new confirmation link.",
};

async function load(app: AppContext, userId: number, sessionId: string | undefined) {
  const me = await getMe(app.sql, userId);
  if (!me) throw new HttpError(401, "sign in required");
  const [sessions, usage] = await Promise.all([
    listSessions(app.sql, userId, sessionId),
    getPlanUsage(app.sql, userId),
  ]);
  return { me, sessions, usage };
}

/** The page again with `form`'s errors beside it. */
async function fail(
  ctx: FreshContext<AppState>,
  userId: number,
  form: Form,
  fields: FieldErrors,
  message?: string,
  status = 422,
) {
  return ctx.render(
    {
      ...(await load(ctx.state.app, userId, ctx.state.sessionId)),
      errors: { form, fields, message },
    } satisfies Data,
    { status },
  );
}

/** An action whose refusals (4xx: wrong password, taken email, rate limit) show beside its form. */
function shown(which: Form, action: FormAction<SessionUser>): FormAction<SessionUser> {
  return async (ctx, input) => {
    try {
      return await action(ctx, input);
    } catch (error) {
      if (error instanceof HttpError && error.status < 500) {
        return await fail(ctx, input.guarded.id, which, error.fields ?? {}, error.message, error.status);
      }
      throw error;
    }
  };
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const saved = ctx.url.searchParams.get("saved") ?? undefined;
    return ctx.render({ ...(await load(ctx.state.app, user.id, ctx.state.sessionId)), saved } satisfies Data);
  },
  /** One action per form on the page (the hidden `form` field); another name is a 422. */
  POST: formActions({
    field: "form",
    guard: requireUser,
    actions: {
      end_session: async (ctx, { form, guarded: user }) => {
        const id = Number(field(form, "session_id"));
        if (Number.isSafeInteger(id) && id > 0) await endSession(ctx.state.app.sql, user.id, id);
        return seeOther("/account?saved=session#sessions");
      },
      resend: shown("resend", async (ctx, { guarded: user }) => {
        const me = await getMe(ctx.state.app.sql, user.id);
        if (me) await resendVerification(ctx.state.app, me);
        return seeOther("/account?saved=resend");
      }),
      email: shown("email", async (ctx, { form, guarded: user }) => {
        const parsed = UpdateMeBody.safeParse({ email: field(form, "email") });
        if (!parsed.success) return await fail(ctx, user.id, "email", issuesToFields(parsed.error.issues));
        await patchMe(ctx.state.app, user.id, parsed.data);
        return seeOther("/account?saved=email");
      }),
      password: shown("password", async (ctx, { form, guarded: user }) => {
        const parsed = ChangePasswordBody.safeParse({
          current_password: field(form, "current_password"),
          new_password: field(form, "new_password"),
        });
        if (!parsed.success) return await fail(ctx, user.id, "password", issuesToFields(parsed.error.issues));
        await changePassword(ctx.state.app, user.id, ctx.state.sessionId, parsed.data);
        return seeOther("/account?saved=password");
      }),
      delete: shown("delete", async (ctx, { form, guarded: user }) => {
        await deleteMe(ctx.state.app.sql, user.id, field(form, "confirm_email"));
        return seeOther("/?deleted=1", { "set-cookie": clearedSessionCookie(ctx.state.app.config) });
      }),
    },
  }),
};

function limit(value: number | null): string {
  return value === null ? "no limit" : String(value);
}

export default function AccountPage({ data, state }: PageProps<Data, AppState>) {
  const { me, sessions, usage } = data;
  const errs = (f: Form) => data.errors?.form === f ? data.errors : undefined;
  const csrf = <CsrfField token={state.csrfToken} />;
  return (
    <>
      <h1>Account</h1>
      {data.saved && SAVED[data.saved] && <p class="notice notice-ok" role="status">{SAVED[data.saved]}</p>}

      <section class="panel" aria-labelledby="email-heading">
        <h2 id="email-heading">Email</h2>
        <p>
          <strong>{me.email}</strong>{" "}
          {me.email_verified ? <span class="badge">confirmed</span> : (
            <span class="badge badge-warn">
              not confirmed: outreach waits until you follow the emailed link
            </span>
          )}
        </p>
        {!me.email_verified && (
          <form method="post" action="/account">
            {csrf}
            <input type="hidden" name="form" value="resend" />
            {errs("resend") && <p class="notice notice-error" role="alert">{errs("resend")!.message}</p>}
            <button type="submit" class="button-secondary">Send the link again</button>
          </form>
        )}
        <form method="post" action="/account" class="stack">
          {csrf}
          <input type="hidden" name="form" value="email" />
          <div>
            <label for="email">
              New email <span class="hint">(needs confirming again)</span>
            </label>
            <input id="email" name="email" type="email" autocomplete="email" required />
            <FieldError errors={errs("email")?.fields} name="email" />
          </div>
          <button type="submit">Change email</button>
        </form>
      </section>

      <section class="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        {errs("password")?.message && (
          <p class="notice notice-error" role="alert">{errs("password")!.message}</p>
        )}
        <form method="post" action="/account" class="stack">
          {csrf}
          <input type="hidden" name="form" value="password" />
          <div>
            <label for="current_password">Current password</label>
            <input
              id="current_password"
              name="current_password"
              type="password"
              autocomplete="current-password"
            />
            <FieldError errors={errs("password")?.fields} name="current_password" />
          </div>
          <div>
            <label for="new_password">
              New password <span class="hint">(at least 10 characters)</span>
            </label>
            <input id="new_password" name="new_password" type="password" autocomplete="new-password" />
            <FieldError errors={errs("password")?.fields} name="new_password" />
          </div>
          <button type="submit">Change password</button>
          <p class="hint">Your other sessions are signed out.</p>
        </form>
      </section>

      {usage && (
        <section class="panel" aria-labelledby="plan-heading">
          <h2 id="plan-heading">Plan: {usage.limits.tier}</h2>
          {usage.sending_block === "plan_limit" && (
            <p class="notice notice-error" role="alert">
              A plan limit is reached: queued emails wait until the day or month turns, or until credits are
              added.
            </p>
          )}
          <table class="table">
            <tbody>
              <tr>
                <th scope="row">Emails this month</th>
                <td>{usage.sends_this_month} of {limit(usage.limits.emails_per_month)}</td>
              </tr>
              <tr>
                <th scope="row">Emails today</th>
                <td>{usage.sends_today} of {limit(usage.limits.daily_sends)}</td>
              </tr>
              <tr>
                <th scope="row">Enrollments today</th>
                <td>{usage.enrollments_today} of {limit(usage.limits.daily_enrollments)}</td>
              </tr>
              <tr>
                <th scope="row">Live sequences</th>
                <td>{usage.live_sequences} of {limit(usage.limits.live_sequences)}</td>
              </tr>
              <tr>
                <th scope="row">Contacts per import</th>
                <td>{limit(usage.limits.contacts_per_import)}</td>
              </tr>
              <tr>
                <th scope="row">Credits</th>
                <td>
                  {usage.credits_remaining}{" "}
                  <span class="hint">(one per email past the monthly allowance)</span>
                </td>
              </tr>
            </tbody>
          </table>
        </section>
      )}

      <section class="panel" id="sessions" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        <ul class="stack">
          {sessions.map((s) => (
            <li key={s.id}>
              <span>{s.user_agent ?? "unknown browser"}</span>{" "}
              <span class="muted">
                since {s.created_at.toISOString().slice(0, 16).replace("T", " ")} UTC, last seen{" "}
                {(s.last_seen_at ?? s.created_at).toISOString().slice(0, 16).replace("T", " ")} UTC
              </span>{" "}
              {s.current ? <strong>(this one)</strong> : (
                <form method="post" action="/account" class="inline">
                  {csrf}
                  <input type="hidden" name="form" value="end_session" />
                  <input type="hidden" name="session_id" value={s.id} />
                  <button type="submit" class="link-button">End</button>
                </form>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section class="panel" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete the account</h2>
        <p>
          This removes your resume, preferences, applications, sequences, outreach (queued emails are not
          sent) and sessions. Kept: the opt-out list of contacts, so nobody who said no is mailed again.
        </p>
        {errs("delete")?.message && <p class="notice notice-error" role="alert">{errs("delete")!.message}</p>}
        <form method="post" action="/account" class="stack">
          {csrf}
          <input type="hidden" name="form" value="delete" />
          <div>
            <label for="confirm_email">Type your email ({me.email}) to confirm</label>
            <input id="confirm_email" name="confirm_email" type="email" autocomplete="off" />
            <FieldError errors={errs("delete")?.fields} name="confirm_email" />
          </div>
          <button type="submit" class="button-danger">Delete my account</button>
        </form>
      </section>
    </>
  );
}
