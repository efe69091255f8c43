import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { formActions } from "@/web/form_actions.ts";
import { COMPANY_SIZES, ROLE_LEVELS, ROLE_TYPES } from "@/core/match.ts";
import { field, type FieldErrors, lines, optionalInt, seeOther } from "@/core/page_forms.ts";
import { PreferencesBody, ResumeBody } from "@/core/profile_schemas.ts";
import { issuesToFields } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { getResume, putResume, type Resume } from "@/db/resumes.ts";
import { getPreferences, type Preferences, putPreferences, setCompanyHidden } from "@/db/preferences.ts";
import { type CompanySummary, getCompaniesByIds } from "@/db/companies.ts";
import CsrfField from "@/components/CsrfField.tsx";
import FieldError from "@/components/FieldError.tsx";
import CheckboxGroup from "@/components/CheckboxGroup.tsx";
import ErrorSummary from "@/components/ErrorSummary.tsx";
import { humanErrors } from "@/core/form_messages.ts";
import { setUserTimezone } from "@/db/user_timezone.ts";
import { timeZoneNames } from "@/core/time_zones.ts";

interface Data {
  resume: Resume;
  preferences: Preferences;
  hiddenCompanies: CompanySummary[];
  saved?: string;
  welcome?: boolean;
  errors?: { form: "resume" | "preferences" | "timezone"; fields: FieldErrors };
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    if (user.mode === "recruiter") return seeOther("/account"); // recruiters are asked for no resume
    const [resume, preferences] = await Promise.all([
      getResume(ctx.state.app.sql, user.id),
      getPreferences(ctx.state.app.sql, user.id),
    ]);
    return ctx.render(
      {
        resume,
        preferences,
        hiddenCompanies: await getCompaniesByIds(ctx.state.app.sql, preferences.hidden_companies),
        saved: ctx.url.searchParams.get("saved") ?? undefined,
        welcome: ctx.url.searchParams.has("welcome"),
      } satisfies Data,
    );
  },
  /** One action per form on the page (the hidden `form` field); a post naming none saves the preferences. */
  POST: formActions({
    field: "form",
    guard: requireUser,
    fallback: "preferences",
    actions: {
      unhide: async (ctx, { form, guarded: user }) => {
        const id = Number(field(form, "company_id"));
        if (Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647) {
          await setCompanyHidden(ctx.state.app.sql, user.id, id, false);
        }
        return seeOther("/settings?saved=preferences#hidden");
      },
      timezone: async (ctx, { form, guarded: user }) => {
        if (await setUserTimezone(ctx.state.app.sql, user.id, field(form, "timezone"))) {
          return seeOther("/settings?saved=timezone");
        }
        return await rerender(ctx, user.id, "timezone", { timezone: "choose a time zone from the list" });
      },
      resume: async (ctx, { form, guarded: user }) => {
        const skills = lines(form, "skills", true);
        const raw = field(form, "raw_text");
        const parsed = ResumeBody.safeParse({
          roles: lines(form, "roles"),
          key_metrics: lines(form, "key_metrics"),
          accomplishments: lines(form, "accomplishments"),
          ...(skills.length || !raw.trim() ? { skills } : {}),
          raw_text: raw.trim() ? raw : null,
        });
        if (parsed.success) {
          await putResume(ctx.state.app.sql, user.id, parsed.data);
          return seeOther("/settings?saved=resume");
        }
        const typed = {
          skills,
          roles: lines(form, "roles"),
          key_metrics: lines(form, "key_metrics"),
          accomplishments: lines(form, "accomplishments"),
          raw_text: raw,
        };
        return await rerender(ctx, user.id, "resume", humanErrors(issuesToFields(parsed.error.issues)), {
          resume: typed,
        });
      },
      preferences: async (ctx, { form, guarded: user }) => {
        const current = await getPreferences(ctx.state.app.sql, user.id);
        const submitted = {
          values: lines(form, "values", true),
          role_types: form.getAll("role_types"),
          locations: lines(form, "locations", true),
          remote_ok: form.has("remote_ok"),
          role_levels: form.getAll("role_levels"),
          company_sizes: form.getAll("company_sizes"),
          industries: lines(form, "industries", true),
          skills: lines(form, "pref_skills", true),
          hidden_companies: current.hidden_companies,
          min_salary: optionalInt(form, "min_salary"),
          max_salary: optionalInt(form, "max_salary"),
          needs_visa_sponsorship: form.has("needs_visa_sponsorship"),
        };
        const parsed = PreferencesBody.safeParse(submitted);
        if (parsed.success) {
          await putPreferences(ctx.state.app.sql, user.id, parsed.data);
          return seeOther("/settings?saved=preferences");
        }
        const fields = humanErrors(issuesToFields(parsed.error.issues));
        if (fields.skills) fields.pref_skills = fields.skills;
        // What was typed stays in the form (a salary of "lots" is shown as typed, next to its error).
        const typed = {
          ...submitted,
          min_salary: field(form, "min_salary"),
          max_salary: field(form, "max_salary"),
        } as unknown as Preferences;
        return await rerender(ctx, user.id, "preferences", fields, { preferences: typed });
      },
    },
  }),
};

/** The page again after a failed submit: the failed form shows what was typed, the others what is stored. */
async function rerender(
  ctx: FreshContext<AppState>,
  userId: number,
  form: "resume" | "preferences" | "timezone",
  fields: FieldErrors,
  typed: { resume?: Partial<Resume>; preferences?: Preferences } = {},
) {
  const [stored, preferences] = await Promise.all([
    getResume(ctx.state.app.sql, userId),
    getPreferences(ctx.state.app.sql, userId),
  ]);
  const hiddenCompanies = await getCompaniesByIds(ctx.state.app.sql, preferences.hidden_companies);
  const resume = { ...stored, ...typed.resume };
  return ctx.render(
    {
      resume,
      preferences: typed.preferences ?? preferences,
      hiddenCompanies,
      errors: { form, fields },
    } satisfies Data,
    {
      status: 422,
    },
  );
}

export default function SettingsPage({ data, state }: PageProps<Data, AppState>) {
  const { resume, preferences: p } = data;
  const errs = (form: string) => data.errors?.form === form ? data.errors.fields : undefined;
  const r = errs("resume");
  const e = errs("preferences");
  return (
    <>
      <h1>Settings</h1>
      {data.welcome && (
        <p class="notice notice-ok">
          Welcome! Add your skills and what you look for: every match score uses them.
        </p>
      )}
      {data.saved && !data.errors && (
        <p class="notice notice-ok" role="status">
          Saved your{" "}
          {data.saved === "resume" ? "resume" : data.saved === "timezone" ? "time zone" : "preferences"}.
        </p>
      )}
      <ErrorSummary
        errors={data.errors?.fields}
        title={`Your ${
          data.errors?.form === "resume"
            ? "resume"
            : data.errors?.form === "timezone"
            ? "time zone"
            : "preferences"
        } was not saved`}
      />
      <section class="panel" aria-labelledby="timezone-heading">
        <h2 id="timezone-heading">Time zone</h2>
        <form method="post" action="/settings" class="actions">
          <CsrfField token={state.csrfToken} />
          <input type="hidden" name="form" value="timezone" />
          <label for="timezone">Dates and times are shown in</label>
          <select
            id="timezone"
            name="timezone"
            aria-invalid={data.errors?.form === "timezone" ? "true" : undefined}
            aria-describedby={data.errors?.form === "timezone" ? "timezone-error" : undefined}
          >
            {timeZoneNames().map((z) => (
              <option key={z} value={z} selected={z === (state.user?.timezone ?? "UTC")}>{z}</option>
            ))}
          </select>
          <button type="submit">Save time zone</button>
          <FieldError
            errors={data.errors?.form === "timezone" ? data.errors.fields : undefined}
            name="timezone"
          />
        </form>
      </section>

      <section class="panel" aria-labelledby="resume-heading">
        <h2 id="resume-heading">Resume</h2>
        <form method="post" action="/settings" class="stack" data-draft="resume">
          <CsrfField token={state.csrfToken} />
          <input type="hidden" name="form" value="resume" />
          <div>
            <label for="skills">
              Skills <span class="hint">(comma-separated; leave empty to find them in the resume text)</span>
            </label>
            <input id="skills" name="skills" type="text" value={resume.skills.join(", ")} />
            <FieldError errors={r} name="skills" />
          </div>
          <div>
            <label for="roles">
              Roles <span class="hint">(one per line)</span>
            </label>
            <textarea id="roles" name="roles">{resume.roles.join("\n")}</textarea>
            <FieldError errors={r} name="roles" />
          </div>
          <div>
            <label for="key_metrics">
              Key metrics <span class="hint">(one per line)</span>
            </label>
            <textarea id="key_metrics" name="key_metrics">{resume.key_metrics.join("\n")}</textarea>
            <FieldError errors={r} name="key_metrics" />
          </div>
          <div>
            <label for="accomplishments">
              Accomplishments <span class="hint">(one per line)</span>
            </label>
            <textarea id="accomplishments" name="accomplishments">
              {resume.accomplishments.join("\n")}
            </textarea>
            <FieldError errors={r} name="accomplishments" />
          </div>
          <div>
            <label for="raw_text">
              Resume text <span class="hint">(paste it here)</span>
            </label>
            <textarea id="raw_text" name="raw_text" rows={8}>{resume.raw_text ?? ""}</textarea>
            <FieldError errors={r} name="raw_text" />
          </div>
          <div>
            <button type="submit">Save resume</button>
          </div>
        </form>
      </section>

      <section class="panel" aria-labelledby="prefs-heading">
        <h2 id="prefs-heading">What you are looking for</h2>
        <form method="post" action="/settings" class="stack" data-draft="preferences">
          <CsrfField token={state.csrfToken} />
          <input type="hidden" name="form" value="preferences" />
          <CheckboxGroup
            legend="Role types"
            name="role_types"
            options={ROLE_TYPES}
            chosen={p.role_types}
            errors={e}
          />
          <CheckboxGroup
            legend="Levels"
            name="role_levels"
            options={ROLE_LEVELS}
            chosen={p.role_levels}
            errors={e}
          />
          <CheckboxGroup
            legend="Company sizes (employees)"
            name="company_sizes"
            options={COMPANY_SIZES}
            chosen={p.company_sizes}
            errors={e}
          />
          <div>
            <label for="locations">
              Locations <span class="hint">(comma-separated)</span>
            </label>
            <input id="locations" name="locations" type="text" value={p.locations.join(", ")} />
            <FieldError errors={e} name="locations" />
          </div>
          <div class="checks">
            <label class="inline">
              <input type="checkbox" name="remote_ok" checked={p.remote_ok} /> Remote is fine
            </label>
            <label class="inline">
              <input type="checkbox" name="needs_visa_sponsorship" checked={p.needs_visa_sponsorship} />{" "}
              I need visa sponsorship
            </label>
          </div>
          <div class="grid">
            <div>
              <label for="min_salary">Minimum salary</label>
              <input
                id="min_salary"
                name="min_salary"
                type="text"
                inputMode="numeric"
                value={p.min_salary ?? ""}
              />
              <FieldError errors={e} name="min_salary" />
            </div>
            <div>
              <label for="max_salary">Maximum salary</label>
              <input
                id="max_salary"
                name="max_salary"
                type="text"
                inputMode="numeric"
                value={p.max_salary ?? ""}
              />
              <FieldError errors={e} name="max_salary" />
            </div>
          </div>
          <div>
            <label for="industries">
              Industries <span class="hint">(comma-separated)</span>
            </label>
            <input id="industries" name="industries" type="text" value={p.industries.join(", ")} />
            <FieldError errors={e} name="industries" />
          </div>
          <div>
            <label for="pref_skills">
              Skills you want to use <span class="hint">(comma-separated)</span>
            </label>
            <input id="pref_skills" name="pref_skills" type="text" value={p.skills.join(", ")} />
            <FieldError errors={e} name="pref_skills" />
          </div>
          <div>
            <label for="values">
              What matters to you <span class="hint">(comma-separated)</span>
            </label>
            <input id="values" name="values" type="text" value={p.values.join(", ")} />
            <FieldError errors={e} name="values" />
          </div>
          <div>
            <button type="submit">Save preferences</button>
          </div>
        </form>
      </section>

      <section class="panel" id="hidden" aria-labelledby="hidden-heading">
        <h2 id="hidden-heading">Hidden companies</h2>
        {data.hiddenCompanies.length === 0
          ? <p class="muted">None. Hide a company from one of its job pages.</p>
          : (
            <ul class="contacts">
              {data.hiddenCompanies.map((c) => (
                <li key={c.id} class="actions">
                  <span>{c.name}</span>
                  <form method="post" action="/settings">
                    <CsrfField token={state.csrfToken} />
                    <input type="hidden" name="form" value="unhide" />
                    <input type="hidden" name="company_id" value={String(c.id)} />
                    <button type="submit" class="button-small button-secondary">Show again</button>
                  </form>
                </li>
              ))}
            </ul>
          )}
      </section>
    </>
  );
}
