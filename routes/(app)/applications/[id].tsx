import type { FreshContext, PageProps } from "../../../fresh/types.ts";
import { requireUser } from "../../../lib/auth.ts";
import { UpdateApplication } from "../../../lib/application_schemas.ts";
import { changeFor } from "../../../lib/application_forms.ts";
import { HttpError } from "../../../lib/http_error.ts";
import { field, type FieldErrors, readForm, seeOther } from "../../../lib/page_forms.ts";
import { allowedMoves, STATUS_LABELS } from "../../../lib/pipeline.ts";
import { issuesToFields, parseId } from "../../../lib/validate.ts";
import type { AppState } from "../../../lib/state.ts";
import {
  type Application,
  deleteApplication,
  getApplication,
  updateApplication,
} from "../../../db/applications.ts";
import { type CompanyContact, listCompanyContacts } from "../../../db/companies.ts";
import { enrollContact, listOutreachForApplication, type OutreachView } from "../../../db/outreach.ts";
import { listSequences } from "../../../db/sequences.ts";
import CsrfField from "../../../components/CsrfField.tsx";
import OutreachTimeline from "../../../components/OutreachTimeline.tsx";
import { getMailStateForApplication, type InboundView } from "../../../db/inbound_messages.ts";
import StartOutreach from "../../../components/StartOutreach.tsx";
import FieldError from "../../../components/FieldError.tsx";

interface Data {
  application: Application;
  outreach: OutreachView[];
  inbound: InboundView[];
  contacts: CompanyContact[];
  sequences: { id: number; name: string; steps: number }[];
  errors?: FieldErrors;
}

/** Everything the page shows besides the application: its outreach, and what a new one can use. */
async function pageData(userId: number, application: Application): Promise<Omit<Data, "errors">> {
  const [outreach, mail, contacts, sequences] = await Promise.all([
    listOutreachForApplication(userId, application.id),
    getMailStateForApplication(userId, application.id),
    listCompanyContacts(userId, application.job.company.id),
    listSequences(userId),
  ]);
  return {
    application,
    outreach,
    inbound: mail.inbound,
    contacts,
    sequences: sequences.map((q) => ({ id: q.id, name: q.name, steps: q.steps.length })),
  };
}

const notFound = () => new HttpError(404, "application not found");

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const application = await getApplication(user.id, parseId(ctx.params.id, "application"));
    if (!application) throw notFound();
    return ctx.render((await pageData(user.id, application)) satisfies Data);
  },
  /** The page's forms (and the board's no-JavaScript "Move" form): one `action` per form. */
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "application");
    const form = await readForm(ctx.req);
    const current = await getApplication(user.id, id);
    if (!current) throw notFound();
    const action = field(form, "action");
    if (action === "delete") {
      await deleteApplication(user.id, id);
      return seeOther("/applications");
    }
    const refuse = async (status: number, errors?: FieldErrors) =>
      ctx.render({ ...(await pageData(user.id, current)), errors } satisfies Data, { status });
    if (action === "outreach") {
      const contact = Number(field(form, "contact_id"));
      const sequence = Number(field(form, "sequence_id"));
      if (!(contact > 0 && contact <= 2_147_483_647) || !(sequence > 0 && sequence <= 2_147_483_647)) {
        return await refuse(422, { outreach: "choose a contact and a sequence" });
      }
      try {
        await enrollContact(user.id, id, { contact_id: contact, sequence_id: sequence });
      } catch (error) {
        if (!(error instanceof HttpError) || (error.status !== 409 && error.status !== 422)) throw error;
        return await refuse(error.status, error.fields ?? { outreach: error.message });
      }
      return seeOther(`/applications/${id}?saved=1#outreach`);
    }
    const parsed = UpdateApplication.safeParse(changeFor(action, form, current));
    if (!parsed.success) return await refuse(422, issuesToFields(parsed.error.issues));
    try {
      await updateApplication(user.id, id, parsed.data);
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 409) throw error;
      return await refuse(409, error.fields);
    }
    const back = field(form, "back") === "/applications" ? "/applications" : `/applications/${id}?saved=1`;
    return seeOther(back);
  },
};

export default function ApplicationPage({ data, state, url }: PageProps<Data, AppState>) {
  const a = data.application;
  const offer = a.offer_details as Record<string, string | number | undefined>;
  const csrf = <CsrfField token={state.csrfToken} />;
  return (
    <>
      <p>
        <a href="/applications">← Applications</a>
      </p>
      <h1>{a.job.title}</h1>
      <p class="meta">
        <span>{a.job.company.name}</span>
        <span>
          Status: <span class="status">{a.status}</span>
        </span>
        {a.match_score !== null && <span>match {a.match_score}</span>}
        <a href={`/jobs/${a.job_id}`}>the job</a>
      </p>
      {url.searchParams.has("saved") && <p class="notice notice-ok" role="status">Saved.</p>}
      {data.errors && (
        <p class="notice notice-error" role="alert">
          Not saved: {Object.entries(data.errors).map(([k, v]) => `${k}: ${v}`).join("; ")}
        </p>
      )}

      <div class="grid">
        <section class="panel" aria-labelledby="status-heading">
          <h2 id="status-heading">Status</h2>
          <form method="post" class="actions">
            {csrf}
            <input type="hidden" name="action" value="move" />
            <label class="sr-only" for="status">Move to</label>
            <select id="status" name="status">
              {allowedMoves(a.status).map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
            </select>
            <button type="submit">Move</button>
          </form>
          <p class="muted">
            Applied {a.applied_at ? new Date(a.applied_at).toISOString().slice(0, 10) : "–"}; last activity
            {" "}
            {a.last_action_at ? new Date(a.last_action_at).toISOString().slice(0, 10) : "–"}; replies:{" "}
            {a.reply_status ?? "pending"}.
          </p>
        </section>

        <section class="panel" aria-labelledby="notes-heading">
          <h2 id="notes-heading">Notes</h2>
          <form method="post" class="stack">
            {csrf}
            <input type="hidden" name="action" value="notes" />
            <label class="sr-only" for="notes">Notes</label>
            <textarea id="notes" name="notes">{a.notes ?? ""}</textarea>
            <FieldError errors={data.errors} name="notes" />
            <div>
              <button type="submit">Save notes</button>
            </div>
          </form>
        </section>
      </div>

      <div class="grid">
        <section class="panel" aria-labelledby="interviews-heading">
          <h2 id="interviews-heading">Interviews</h2>
          {a.interview_dates.length === 0 ? <p class="muted">None scheduled.</p> : (
            <ul class="contacts">
              {a.interview_dates.map((d, i) => (
                <li key={`${d.at}-${i}`} class="actions">
                  <span>
                    {d.at.replace("T", " ").replace(/:00(\.000)?Z$/, " UTC")}
                    {d.kind ? ` · ${d.kind}` : ""}
                  </span>
                  <form method="post">
                    {csrf}
                    <input type="hidden" name="action" value="remove_interview" />
                    <input type="hidden" name="index" value={String(i)} />
                    <button type="submit" class="button-small button-danger">Remove</button>
                  </form>
                </li>
              ))}
            </ul>
          )}
          <form method="post" class="stack">
            {csrf}
            <input type="hidden" name="action" value="add_interview" />
            <div>
              <label for="at">
                When <span class="hint">(UTC)</span>
              </label>
              <input id="at" name="at" type="datetime-local" required />
              <FieldError errors={data.errors} name="interview_dates" />
            </div>
            <div>
              <label for="kind">Kind</label>
              <input id="kind" name="kind" type="text" placeholder="phone screen, onsite, ..." />
            </div>
            <div>
              <button type="submit" class="button-secondary">Add interview</button>
            </div>
          </form>
        </section>

        <section class="panel" aria-labelledby="offer-heading">
          <h2 id="offer-heading">Offer</h2>
          <form method="post" class="stack">
            {csrf}
            <input type="hidden" name="action" value="offer" />
            <div class="grid">
              <div>
                <label for="salary">Salary</label>
                <input id="salary" name="salary" type="text" inputMode="numeric" value={offer.salary ?? ""} />
              </div>
              <div>
                <label for="currency">Currency</label>
                <input id="currency" name="currency" type="text" maxLength={3} value={offer.currency ?? ""} />
              </div>
              <div>
                <label for="bonus">Bonus</label>
                <input id="bonus" name="bonus" type="text" inputMode="numeric" value={offer.bonus ?? ""} />
              </div>
              <div>
                <label for="equity">Equity</label>
                <input id="equity" name="equity" type="text" value={offer.equity ?? ""} />
              </div>
              <div>
                <label for="start_date">Start date</label>
                <input id="start_date" name="start_date" type="date" value={offer.start_date ?? ""} />
              </div>
              <div>
                <label for="deadline">Decide by</label>
                <input id="deadline" name="deadline" type="date" value={offer.deadline ?? ""} />
              </div>
            </div>
            <div>
              <label for="offer_notes">Notes</label>
              <textarea id="offer_notes" name="notes">{offer.notes ?? ""}</textarea>
            </div>
            <FieldError errors={data.errors} name="offer_details" />
            <div>
              <button type="submit">Save offer</button>
            </div>
          </form>
        </section>
      </div>

      <section class="panel" id="outreach" aria-labelledby="outreach-heading">
        <h2 id="outreach-heading">Outreach</h2>
        <OutreachTimeline items={data.outreach} inbound={data.inbound} />
        <StartOutreach
          company={a.job.company.name}
          contacts={data.contacts}
          sequences={data.sequences}
          csrfToken={state.csrfToken}
        />
      </section>

      <section class="panel" aria-labelledby="danger-heading">
        <h2 id="danger-heading">Stop tracking</h2>
        <form method="post">
          {csrf}
          <input type="hidden" name="action" value="delete" />
          <button type="submit" class="button-danger">Delete this application and its outreach</button>
        </form>
      </section>
    </>
  );
}
