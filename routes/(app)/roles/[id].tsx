import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { field, type FieldErrors, seeOther } from "@/core/page_forms.ts";
import { AddCandidate, SetStage, STAGES } from "@/core/role_schemas.ts";
import { reachCandidate, requireRecruiter, sourceCandidate } from "@/services/roles/roles.ts";
import { issuesToFields, parseId } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { type FormAction, formActions } from "@/web/form_actions.ts";
import { type Candidate, getRole, listCandidates, type RoleSummary, setCandidateStage } from "@/db/roles.ts";
import type { Sql } from "@/db/client.ts";
import CsrfField from "@/components/CsrfField.tsx";
import FieldError from "@/components/FieldError.tsx";

interface Data {
  role: RoleSummary;
  candidates: Candidate[];
  notice?: string;
  error?: string;
  errors?: FieldErrors;
}

const NOTICES: Record<string, string> = {
  added: "Candidate added as sourced.",
  reached: "Recruiter Cold Intro queued: it goes out with the next dispatch.",
  moved: "Stage changed.",
};

async function load(sql: Sql, userId: number, roleId: number) {
  return { role: await getRole(sql, userId, roleId), candidates: await listCandidates(sql, userId, roleId) };
}

/** What the forms act on: the recruiter (job seekers get 404) and the role. */
interface Target {
  userId: number;
  roleId: number;
}

async function loadTarget(ctx: FreshContext<AppState>): Promise<Target> {
  const user = await requireUser(ctx);
  requireRecruiter(user);
  return { userId: user.id, roleId: parseId(ctx.params.id, "role") };
}

/** The page again with why the change was refused. */
async function fail(
  ctx: FreshContext<AppState>,
  t: Target,
  status: number,
  error: string,
  errors?: FieldErrors,
) {
  const data = await load(ctx.state.app.sql, t.userId, t.roleId);
  return ctx.render({ ...data, error, errors } satisfies Data, { status });
}

/** A refused change (a 4xx other than 404) is shown on the page; anything else is the error page. */
function shownOnPage(action: FormAction<Target>): FormAction<Target> {
  return async (ctx, input) => {
    try {
      return await action(ctx, input);
    } catch (error) {
      if (error instanceof HttpError && error.status < 500 && error.status !== 404) {
        return await fail(ctx, input.guarded, error.status, error.message, error.fields);
      }
      throw error;
    }
  };
}

const add = shownOnPage(async (ctx, { form, guarded: t }) => {
  const parsed = AddCandidate.safeParse({
    full_name: field(form, "full_name"),
    email: field(form, "email"),
    title: field(form, "title").trim() || null,
    company: {
      name: field(form, "company_name"),
      domain: field(form, "company_domain").trim() || null,
    },
  });
  if (!parsed.success) {
    return await fail(ctx, t, 422, "Some values need fixing.", issuesToFields(parsed.error.issues));
  }
  await sourceCandidate(ctx.state.app.sql, t.userId, t.roleId, parsed.data);
  return seeOther(`/roles/${t.roleId}?done=added`);
});

const stage = shownOnPage(async (ctx, { form, guarded: t }) => {
  const candidateId = parseId(field(form, "candidate_id"), "candidate");
  const parsed = SetStage.safeParse({ stage: field(form, "stage") });
  if (!parsed.success) return await fail(ctx, t, 422, "Choose a stage.");
  await setCandidateStage(ctx.state.app.sql, t.userId, t.roleId, candidateId, parsed.data.stage);
  return seeOther(`/roles/${t.roleId}?done=moved`);
});

const reach = shownOnPage(async (ctx, { form, guarded: t }) => {
  const candidateId = parseId(field(form, "candidate_id"), "candidate");
  await reachCandidate(ctx.state.app, t.userId, t.roleId, candidateId, {});
  return seeOther(`/roles/${t.roleId}?done=reached`);
});

/** One role's candidate pipeline. No resume, no match score: the recruiter's view is the candidates. */
export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const t = await loadTarget(ctx);
    const notice = NOTICES[ctx.url.searchParams.get("done") ?? ""];
    return ctx.render({ ...(await load(ctx.state.app.sql, t.userId, t.roleId)), notice } satisfies Data);
  },
  POST: formActions({ field: "form", guard: loadTarget, actions: { add, stage, reach } }),
};

export default function RolePage({ data, state }: PageProps<Data, AppState>) {
  const { role, candidates } = data;
  const csrf = <CsrfField token={state.csrfToken} />;
  return (
    <>
      <p>
        <a href="/roles">All roles</a>
      </p>
      <h1>
        {role.job.title} <span class="muted">at {role.company.name}</span>
      </h1>
      {data.notice && <p class="notice notice-ok" role="status">{data.notice}</p>}
      {data.error && <p class="notice notice-error" role="alert">{data.error}</p>}

      <div class="pipeline" aria-label="Candidate pipeline">
        {STAGES.map((stage) => (
          <section
            key={stage}
            class="panel pipeline-column"
            data-stage={stage}
            aria-labelledby={`stage-${stage}`}
          >
            <h2 id={`stage-${stage}`}>
              {stage} <span class="muted">({candidates.filter((c) => c.stage === stage).length})</span>
            </h2>
            <ul class="stack">
              {candidates.filter((c) => c.stage === stage).map((c) => (
                <li key={c.id} class="candidate" data-candidate={c.contact.email}>
                  <strong>{c.contact.full_name}</strong>
                  <div class="muted">
                    {c.contact.title ? `${c.contact.title}, ` : ""}
                    {c.contact.company}
                  </div>
                  {c.outreach_status && <div class="hint">email: {c.outreach_status}</div>}
                  {!c.outreach_status && (
                    <form method="post" action={`/roles/${role.id}`} class="inline">
                      {csrf}
                      <input type="hidden" name="form" value="reach" />
                      <input type="hidden" name="candidate_id" value={c.id} />
                      <button type="submit" class="button-small">Send Recruiter Cold Intro</button>
                    </form>
                  )}
                  <form method="post" action={`/roles/${role.id}`} class="inline">
                    {csrf}
                    <input type="hidden" name="form" value="stage" />
                    <input type="hidden" name="candidate_id" value={c.id} />
                    <label class="visually-hidden" for={`stage-of-${c.id}`}>
                      Stage of {c.contact.full_name}
                    </label>
                    <select id={`stage-of-${c.id}`} name="stage">
                      {STAGES.map((s) => <option key={s} value={s} selected={s === c.stage}>{s}</option>)}
                    </select>
                    <button type="submit" class="link-button">Move</button>
                  </form>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>

      <section class="panel" aria-labelledby="add-candidate">
        <h2 id="add-candidate">Add a candidate</h2>
        <form method="post" action={`/roles/${role.id}`} class="stack">
          {csrf}
          <input type="hidden" name="form" value="add" />
          <div>
            <label for="full_name">Name</label>
            <input id="full_name" name="full_name" type="text" required />
            <FieldError errors={data.errors} name="full_name" />
          </div>
          <div>
            <label for="email">Email</label>
            <input id="email" name="email" type="email" required />
            <FieldError errors={data.errors} name="email" />
          </div>
          <div>
            <label for="title">
              Current title <span class="hint">(optional)</span>
            </label>
            <input id="title" name="title" type="text" />
          </div>
          <div>
            <label for="company_name">Current company</label>
            <input id="company_name" name="company_name" type="text" required />
            <FieldError errors={data.errors} name="company.name" />
          </div>
          <div>
            <label for="company_domain">
              Its domain <span class="hint">(optional)</span>
            </label>
            <input id="company_domain" name="company_domain" type="text" />
          </div>
          <button type="submit">Add as sourced</button>
        </form>
      </section>
    </>
  );
}
