import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { formatPayRange } from "@/core/match.ts";
import { field, seeOther } from "@/core/page_forms.ts";
import { formActions } from "@/web/form_actions.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseId } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { getJobForUser, type JobDetail } from "@/db/jobs.ts";
import { type CompanyContact, listCompanyContacts } from "@/db/companies.ts";
import { createApplication } from "@/db/applications.ts";
import { setCompanyHidden } from "@/db/preferences.ts";
import MatchBadge from "@/components/MatchBadge.tsx";
import CsrfField from "@/components/CsrfField.tsx";
import RecruiterJob from "@/components/RecruiterJob.tsx";
import ContactFinder from "@/islands/ContactFinder.tsx";
import ContactForm, { type ContactFormValues, contactFormValues } from "@/components/ContactForm.tsx";
import type { FieldErrors } from "@/core/page_forms.ts";
import { parseNewContact } from "@/web/contact_forms.ts";
import { createContact } from "@/db/contacts.ts";
import { updateContact } from "@/db/contact_edit.ts";

interface Data {
  job: JobDetail;
  contacts: CompanyContact[];
  /** The add-contact form after a failed submit. */
  contactForm?: { values: ContactFormValues; errors: FieldErrors };
}

/** Before a form is read: the signed-in user (401/403 otherwise) and the job id of the path (404 when bad). */
async function signedInJob(ctx: FreshContext<AppState>) {
  return { user: await requireUser(ctx), jobId: parseId(ctx.params.id, "job") };
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const { app } = ctx.state;
    const job = await getJobForUser(app.sql, user.id, parseId(ctx.params.id, "job"));
    if (!job) throw new HttpError(404, "job not found");
    const contacts = await listCompanyContacts(app.sql, user.id, job.company.id);
    return ctx.render({ job, contacts } satisfies Data);
  },
  /**
   * One action per form (the hidden `action` field): add a contact, hide the company; a post naming none is
   * the save-or-apply form, which creates the application and shows it (an existing one as it is).
   */
  POST: formActions({
    field: "action",
    guard: signedInJob,
    fallback: "track",
    actions: {
      add_contact: async (ctx, { form, guarded: { user, jobId } }) => {
        const { app } = ctx.state;
        const job = await getJobForUser(app.sql, user.id, jobId);
        if (!job) throw new HttpError(404, "job not found");
        const parsed = parseNewContact(form);
        if (!parsed.ok) {
          const contacts = await listCompanyContacts(app.sql, user.id, job.company.id);
          const contactForm = { values: contactFormValues(form), errors: parsed.errors };
          return ctx.render({ job, contacts, contactForm } satisfies Data, { status: 422 });
        }
        const { contact, created } = await createContact(
          app.sql,
          user.id,
          job.company.id,
          parsed.value.contact,
        );
        if (created && parsed.value.notes) {
          await updateContact(app.sql, user.id, contact.id, { notes: parsed.value.notes });
        }
        return seeOther(`/jobs/${jobId}?contact=${created ? "added" : "known"}#people`);
      },
      hide: async (ctx, { guarded: { user, jobId } }) => {
        const { app } = ctx.state;
        const job = await getJobForUser(app.sql, user.id, jobId);
        if (!job) throw new HttpError(404, "job not found");
        await setCompanyHidden(app.sql, user.id, job.company.id, true);
        return seeOther(`/jobs?hidden=${job.company.id}`);
      },
      track: async (ctx, { form, guarded: { user, jobId } }) => {
        const status = field(form, "status") === "applied" ? "applied" : "saved";
        try {
          const application = await createApplication(ctx.state.app.sql, user.id, { job_id: jobId, status });
          return seeOther(`/applications/${application.id}`);
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          if (error.status === 422) throw new HttpError(404, "job not found");
          if (error.status !== 409) throw error;
          const job = await getJobForUser(ctx.state.app.sql, user.id, jobId);
          return seeOther(job?.application ? `/applications/${job.application.id}` : "/applications");
        }
      },
    },
  }),
};

export default function JobPage({ data, state, url }: PageProps<Data, AppState>) {
  const { job, contacts } = data;
  if (state.user?.mode === "recruiter") return <RecruiterJob job={job} csrfToken={state.csrfToken} />;
  return (
    <>
      <p>
        <a href="/jobs">← Jobs</a>
      </p>
      <div class="job-item panel">
        <div>
          <h1 style="margin-top:0">{job.title}</h1>
          <div class="meta">
            <span>{job.company.name}</span>
            <span>{job.remote ? "Remote" : job.location ?? "Location not given"}</span>
            {job.job_type && <span>{job.job_type}</span>}
            <span>{formatPayRange(job.comp_min, job.comp_max)}</span>
            {job.posted_date && <span>posted {new Date(job.posted_date).toISOString().slice(0, 10)}</span>}
            {job.expired && <span class="status">expired</span>}
          </div>
        </div>
        <MatchBadge score={job.match.score} category={job.match.category} />
      </div>

      <section class="panel" aria-labelledby="why">
        <h2 id="why">Why this score</h2>
        <ul class="reasons">
          {job.match.reasons.map((r) => <li key={r}>{r}</li>)}
        </ul>
        <p class="muted">
          Scores use your <a href="/settings">skills and preferences</a>.
        </p>
      </section>

      <section class="panel" aria-labelledby="track">
        <h2 id="track">Track it</h2>
        {job.application
          ? (
            <p class="actions">
              <span>
                You track this job: <span class="status">{job.application.status}</span>.
              </span>
              <a class="button" href={`/applications/${job.application.id}`}>Open the application</a>
              <a class="button button-secondary" href={`/applications/${job.application.id}#outreach`}>
                Start outreach
              </a>
            </p>
          )
          : (
            <form method="post" action={`/jobs/${job.id}`} class="actions">
              <CsrfField token={state.csrfToken} />
              <button type="submit" name="status" value="saved" class="button-secondary">Save</button>
              <button type="submit" name="status" value="applied">I applied</button>
              <span class="muted">Outreach starts from the application page.</span>
            </form>
          )}
      </section>

      <div class="grid">
        <section class="panel" aria-labelledby="about">
          <h2 id="about">The job</h2>
          {job.skills.length > 0 && (
            <ul class="tags" aria-label="Skills named">
              {job.skills.map((s) => <li key={s} class="tag">{s}</li>)}
            </ul>
          )}
          <p class="description">{job.description ?? "No description."}</p>
        </section>
        <section class="panel" aria-labelledby="company">
          <h2 id="company">{job.company.name}</h2>
          <dl class="facts">
            {job.company.domain && (
              <>
                <dt>Domain</dt>
                <dd>{job.company.domain}</dd>
              </>
            )}
            {job.company.industry && (
              <>
                <dt>Industry</dt>
                <dd>{job.company.industry}</dd>
              </>
            )}
            {job.company.size && (
              <>
                <dt>Size</dt>
                <dd>{job.company.size} employees</dd>
              </>
            )}
            {job.company.tech_stack.length > 0 && (
              <>
                <dt>Tech stack</dt>
                <dd>{job.company.tech_stack.join(", ")}</dd>
              </>
            )}
          </dl>
          <form method="post" action={`/jobs/${job.id}`}>
            <CsrfField token={state.csrfToken} />
            <input type="hidden" name="action" value="hide" />
            <button type="submit" class="button-small button-secondary">
              Hide jobs from {job.company.name}
            </button>
          </form>
          <h3 id="people">People to contact</h3>
          {url.searchParams.get("contact") === "added" && (
            <p class="notice notice-ok" role="status">Contact added.</p>
          )}
          {url.searchParams.get("contact") === "known" && (
            <p class="notice notice-ok" role="status">That contact was already known here.</p>
          )}
          {contacts.length === 0
            ? <p class="muted">No contacts known at {job.company.name} yet: add the hiring manager below.</p>
            : (
              <ul class="contacts">
                {contacts.map((c) => (
                  <li key={c.id}>
                    <a href={`/contacts/${c.id}`}>
                      <strong>{c.full_name}</strong>
                    </a>
                    {c.title && <span class="muted">, {c.title}</span>}
                    {c.opted_out && <span class="tag">opted out</span>}
                  </li>
                ))}
              </ul>
            )}
          <details class="add-contact" open={data.contactForm || contacts.length === 0 ? true : undefined}>
            <summary>Add a contact at {job.company.name}</summary>
            <ContactForm
              values={data.contactForm?.values}
              errors={data.contactForm?.errors}
              csrfToken={state.csrfToken}
              action="add_contact"
              post={`/jobs/${job.id}`}
            />
          </details>
          <ContactFinder
            companyId={job.company.id}
            domain={job.company.domain}
            csrfToken={state.csrfToken ?? ""}
          />
        </section>
      </div>
    </>
  );
}
