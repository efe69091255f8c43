import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { field, type FieldErrors, readForm, seeOther } from "@/core/page_forms.ts";
import { createRole, requireRecruiter } from "@/services/roles/roles.ts";
import { issuesToFields } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { CreateRole, STAGES } from "@/core/role_schemas.ts";
import { listRoles, type RoleSummary } from "@/db/roles.ts";
import CsrfField from "@/components/CsrfField.tsx";
import FieldError from "@/components/FieldError.tsx";

interface Data {
  roles: RoleSummary[];
  errors?: FieldErrors;
  values?: Record<string, string>;
}

/** Recruiter mode's dashboard: the roles being filled, each with its pipeline. */
export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    requireRecruiter(user);
    return ctx.render({ roles: await listRoles(ctx.state.app.sql, user.id) } satisfies Data);
  },
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    requireRecruiter(user);
    const form = await readForm(ctx.req);
    if (form.has("job_id")) {
      // "Fill this role" on a job page
      const parsedJob = CreateRole.safeParse({ job_id: Number(field(form, "job_id")) });
      if (!parsedJob.success) {
        throw new HttpError(422, "invalid values", { fields: { job_id: "no such job" } });
      }
      try {
        return seeOther(`/roles/${await createRole(ctx.state.app.sql, user.id, parsedJob.data)}`);
      } catch (error) {
        if (error instanceof HttpError && error.status === 409) return seeOther("/roles");
        throw error;
      }
    }
    const values = {
      title: field(form, "title"),
      company_name: field(form, "company_name"),
      company_domain: field(form, "company_domain"),
      location: field(form, "location"),
    };
    const parsed = CreateRole.safeParse({
      title: values.title,
      company: { name: values.company_name, domain: values.company_domain.trim() || null },
      location: values.location.trim() || null,
    });
    const fail = async (errors: FieldErrors, status = 422) =>
      ctx.render({ roles: await listRoles(ctx.state.app.sql, user.id), errors, values } satisfies Data, {
        status,
      });
    if (!parsed.success) return await fail(issuesToFields(parsed.error.issues));
    try {
      const id = await createRole(ctx.state.app.sql, user.id, parsed.data);
      return seeOther(`/roles/${id}`);
    } catch (error) {
      if (error instanceof HttpError && error.status < 500) {
        return await fail(error.fields ?? {}, error.status);
      }
      throw error;
    }
  },
};

export default function RolesPage({ data, state }: PageProps<Data, AppState>) {
  const v = data.values ?? {};
  const e = data.errors ?? {};
  return (
    <>
      <h1>Roles you are filling</h1>
      {data.roles.length === 0 && (
        <p class="muted">
          No roles yet: add one below, or open a job and fill it.
        </p>
      )}
      <ul class="stack roles-list">
        {data.roles.map((r) => (
          <li key={r.id} class="panel">
            <h2>
              <a href={`/roles/${r.id}`}>{r.job.title}</a>{" "}
              <span class="muted">at {r.company.name}{r.job.location ? `, ${r.job.location}` : ""}</span>
            </h2>
            <ol class="pipeline-counts" aria-label="Candidates by stage">
              {STAGES.map((s) => (
                <li key={s}>
                  <span class="muted">{s}</span> <strong data-stage={s}>{r.pipeline[s]}</strong>
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>

      <section class="panel" aria-labelledby="new-role">
        <h2 id="new-role">New role for a client</h2>
        <form method="post" action="/roles" class="stack">
          <CsrfField token={state.csrfToken} />
          <div>
            <label for="title">Role title</label>
            <input id="title" name="title" type="text" required value={v.title ?? ""} />
            <FieldError errors={e} name="title" />
          </div>
          <div>
            <label for="company_name">Client company</label>
            <input id="company_name" name="company_name" type="text" required value={v.company_name ?? ""} />
            <FieldError errors={e} name="company.name" />
          </div>
          <div>
            <label for="company_domain">
              Client's domain <span class="hint">(optional)</span>
            </label>
            <input id="company_domain" name="company_domain" type="text" value={v.company_domain ?? ""} />
            <FieldError errors={e} name="company.domain" />
          </div>
          <div>
            <label for="location">
              Location <span class="hint">(optional)</span>
            </label>
            <input id="location" name="location" type="text" value={v.location ?? ""} />
          </div>
          <button type="submit">Add the role</button>
        </form>
      </section>
    </>
  );
}
