import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { UpdateApplication } from "@/core/application_schemas.ts";
import { changeFor } from "@/web/application_forms.ts";
import { HttpError } from "@/core/http_error.ts";
import { errorFor, field, type FieldErrors, seeOther } from "@/core/page_forms.ts";
import { allowedMoves, nextStage, STATUS_LABELS } from "@/core/pipeline.ts";
import { issuesToFields, parseId } from "@/core/validate.ts";
import type { AppState, SessionUser } from "@/web/state.ts";
import { type FormAction, formActions } from "@/web/form_actions.ts";
import { type Application, deleteApplication, getApplication, updateApplication } from "@/db/applications.ts";
import { type CompanyContact, listCompanyContacts } from "@/db/companies.ts";
import type { Sql } from "@/db/client.ts";
import { listOutreachForApplication, type TimelineItem } from "@/db/outreach.ts";
import { enrollContact, previewEnrollment } from "@/services/sequences/enrollment.ts";
import { changeSequence } from "@/db/outreach_control.ts";
import { createContact } from "@/db/contacts.ts";
import { updateContact } from "@/db/contact_edit.ts";
import { parseNewContact } from "@/web/contact_forms.ts";
import { readOverrides, readVariables } from "@/web/outreach_forms.ts";
import { Enroll } from "@/core/outreach_schemas.ts";
import { humanErrors } from "@/core/form_messages.ts";
import { localDate, localDateTime } from "@/core/local_time.ts";
import ContactForm, { type ContactFormValues, contactFormValues } from "@/components/ContactForm.tsx";
import OutreachReview, { type ReviewState } from "@/components/OutreachReview.tsx";
import ErrorSummary from "@/components/ErrorSummary.tsx";
import ContactImport from "@/components/ContactImport.tsx";
import { importContacts } from "@/db/contacts.ts";
import {
  importErrors,
  type ImportPreview,
  previewContactImport,
} from "@/services/imports/contact_import_preview.ts";
import { listSequences } from "@/db/sequences.ts";
import CsrfField from "@/components/CsrfField.tsx";
import OutreachTimeline from "@/components/OutreachTimeline.tsx";
import { getMailStateForApplication, type InboundView } from "@/db/inbound_messages.ts";
import StartOutreach from "@/components/StartOutreach.tsx";
import FieldError from "@/components/FieldError.tsx";

interface Data {
  application: Application;
  outreach: TimelineItem[];
  inbound: InboundView[];
  contacts: CompanyContact[];
  sequences: { id: number; name: string; steps: number }[];
  errors?: FieldErrors;
  /** The add-contact form after a failed submit: what was typed, and what to fix. */
  contactForm?: { values: ContactFormValues; errors: FieldErrors };
  /** An enrollment being reviewed. */
  review?: ReviewState;
  /** The CSV import: the text, its preview, or why it could not be read. */
  contactImport?: { csv: string; preview?: ImportPreview; errors?: FieldErrors };
  /** Delete was asked: show the confirmation. */
  confirmDelete?: boolean;
  /** What was typed into the form that failed (`action` names it), shown instead of the stored values. */
  typed?: { action: string; values: Record<string, string> };
}

/** Everything the page shows besides the application: its outreach, and what a new one can use. */
async function pageData(sql: Sql, userId: number, application: Application): Promise<Omit<Data, "errors">> {
  const [outreach, mail, contacts, sequences] = await Promise.all([
    listOutreachForApplication(sql, userId, application.id),
    getMailStateForApplication(sql, userId, application.id),
    listCompanyContacts(sql, userId, application.job.company.id),
    listSequences(sql, userId),
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

/** What every form of the page acts on: the signed-in user and their application (404 when not theirs). */
interface Target {
  user: SessionUser;
  id: number;
  current: Application;
}

async function loadTarget(ctx: FreshContext<AppState>): Promise<Target> {
  const user = await requireUser(ctx);
  const id = parseId(ctx.params.id, "application");
  const current = await getApplication(ctx.state.app.sql, user.id, id);
  if (!current) throw notFound();
  return { user, id, current };
}

/** The page again, with `extra` (errors, a preview, a confirmation) and the status that goes with it. */
async function renderPage(ctx: FreshContext<AppState>, t: Target, status: number, extra: Partial<Data>) {
  return ctx.render(
    { ...(await pageData(ctx.state.app.sql, t.user.id, t.current)), ...extra } satisfies Data,
    { status },
  );
}

const refuse = (ctx: FreshContext<AppState>, t: Target, status: number, errors?: FieldErrors) =>
  renderPage(ctx, t, status, { errors });

/** Deleting takes the outreach with it: it is done only once confirmed (the page asks first). */
const deleteAction: FormAction<Target> = async (ctx, { form, guarded: t }) => {
  if (field(form, "confirm") !== "yes") return await renderPage(ctx, t, 200, { confirmDelete: true });
  await deleteApplication(ctx.state.app.sql, t.user.id, t.id);
  return seeOther("/applications");
};

const addContact: FormAction<Target> = async (ctx, { form, guarded: t }) => {
  const sql = ctx.state.app.sql;
  const parsed = parseNewContact(form);
  if (!parsed.ok) {
    return await renderPage(ctx, t, 422, {
      contactForm: { values: contactFormValues(form), errors: parsed.errors },
    });
  }
  const { contact, created } = await createContact(
    sql,
    t.user.id,
    t.current.job.company.id,
    parsed.value.contact,
  );
  if (created && parsed.value.notes) {
    await updateContact(sql, t.user.id, contact.id, { notes: parsed.value.notes });
  }
  return seeOther(`/applications/${t.id}?contact=${created ? "added" : "known"}#outreach`);
};

/** `import_preview` shows what the CSV would do; `import` does it. */
const importCsv: FormAction<Target> = async (ctx, { form, guarded: t }) => {
  const sql = ctx.state.app.sql;
  const csv = field(form, "csv");
  if (!csv.trim()) {
    return await renderPage(ctx, t, 422, {
      contactImport: { csv, errors: { csv: "paste the CSV or choose a file" } },
    });
  }
  let preview: ImportPreview;
  try {
    preview = await previewContactImport(sql, t.user.id, t.current.job.company.id, csv);
  } catch (error) {
    return await renderPage(ctx, t, 422, { contactImport: { csv, errors: importErrors(error) } });
  }
  if (field(form, "action") === "import_preview") {
    return await renderPage(ctx, t, 200, { contactImport: { csv, preview } });
  }
  const counts = await importContacts(sql, t.user.id, t.current.job.company.id, preview.valid);
  return seeOther(`/applications/${t.id}?imported=${counts.inserted}&known=${counts.existing}#outreach`);
};

/** `pause`, `resume` or `stop` a contact's sequence. */
const controlSequence: FormAction<Target> = async (ctx, { form, guarded: t }) => {
  const action = field(form, "action") as "pause" | "resume" | "stop";
  const contactId = Number(field(form, "contact_id"));
  if (!(contactId > 0 && contactId <= 2_147_483_647)) {
    return await refuse(ctx, t, 422, { outreach: "choose a contact" });
  }
  try {
    await changeSequence(ctx.state.app.sql, t.user.id, t.id, contactId, action);
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 409) throw error;
    return await refuse(ctx, t, 409, { outreach: error.message });
  }
  return seeOther(`/applications/${t.id}?sequence=${action}#outreach`);
};

/** `review` renders the emails an enrollment would queue; `outreach` queues them (as reviewed). */
const enroll: FormAction<Target> = async (ctx, { form, guarded: t }) => {
  const app = ctx.state.app;
  const action = field(form, "action");
  const contact = Number(field(form, "contact_id"));
  const sequence = Number(field(form, "sequence_id"));
  if (!(contact > 0 && contact <= 2_147_483_647) || !(sequence > 0 && sequence <= 2_147_483_647)) {
    return await refuse(ctx, t, 422, { outreach: "choose a contact and a sequence" });
  }
  const data = await pageData(ctx.state.app.sql, t.user.id, t.current);
  const variables = readVariables(form);
  const overrides = action === "outreach" ? readOverrides(form) : [];
  const review: ReviewState = {
    contact_id: contact,
    contact_name: data.contacts.find((c) => c.id === contact)?.full_name ?? "the contact",
    sequence_id: sequence,
    variables,
    missing: [],
    items: [],
  };
  const input = { contact_id: contact, sequence_id: sequence, variables, overrides };
  const show = (status: number, errors?: FieldErrors) =>
    ctx.render({ ...data, review: { ...review, errors } } satisfies Data, { status });
  const checked = Enroll.safeParse(input);
  if (!checked.success) {
    review.items = overrides.map((o) => ({
      step_no: o.step_no,
      subject: o.subject ?? "",
      body: o.body ?? "",
      due_at: null,
    }));
    return await show(422, humanErrors(issuesToFields(checked.error.issues)));
  }
  try {
    if (action === "review") {
      review.items = await previewEnrollment(app, t.user.id, t.id, input);
      return await show(200);
    }
    await enrollContact(app, t.user.id, t.id, input);
  } catch (error) {
    if (!(error instanceof HttpError) || (error.status !== 409 && error.status !== 422)) throw error;
    const fields = error.fields ?? { outreach: error.message };
    review.missing = Object.keys(fields).filter((k) => k.startsWith("variables.")).map((k) => k.slice(10));
    if (action === "outreach") {
      review.items = overrides.map((o) => ({
        step_no: o.step_no,
        subject: o.subject ?? "",
        body: o.body ?? "",
        due_at: null,
      }));
    }
    if (error.status === 409) return await renderPage(ctx, t, 409, { errors: { outreach: error.message } });
    return await show(422, humanErrors(fields));
  }
  return seeOther(`/applications/${t.id}?queued=1#outreach`);
};

/** The forms that stand for a PATCH of the application (web/application_forms.ts `changeFor`). */
const update: FormAction<Target> = async (ctx, { form, guarded: t }) => {
  const action = field(form, "action");
  const parsed = UpdateApplication.safeParse(changeFor(action, form, t.current, t.user.timezone ?? "UTC"));
  if (!parsed.success) {
    return await renderPage(ctx, t, 422, {
      errors: humanErrors(issuesToFields(parsed.error.issues)),
      typed: { action, values: Object.fromEntries(form) },
    });
  }
  try {
    await updateApplication(ctx.state.app.sql, t.user.id, t.id, parsed.data);
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 409) throw error;
    return await refuse(ctx, t, 409, error.fields);
  }
  const back = field(form, "back") === "/applications" ? "/applications" : `/applications/${t.id}?saved=1`;
  return seeOther(back);
};

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const t = await loadTarget(ctx);
    return ctx.render((await pageData(ctx.state.app.sql, t.user.id, t.current)) satisfies Data);
  },
  /** The page's forms (and the board's no-JavaScript "Move" form): one named `action` per form. */
  POST: formActions({
    field: "action",
    guard: loadTarget,
    actions: {
      delete: deleteAction,
      add_contact: addContact,
      import_preview: importCsv,
      import: importCsv,
      pause: controlSequence,
      resume: controlSequence,
      stop: controlSequence,
      review: enroll,
      outreach: enroll,
      move: update,
      notes: update,
      add_interview: update,
      remove_interview: update,
      offer: update,
    },
    // any other name is a PATCH of nothing, which `update` answers as before: 422 on the page
    fallback: "move",
  }),
};

const NOTICES: Record<string, string> = {
  "contact=added": "Contact added.",
  "contact=known": "That contact was already known at this company; it is in the list.",
  "queued=1": "The emails are queued.",
  "sequence=pause": "The sequence is paused.",
  "sequence=resume": "The sequence is running again; its emails moved by the length of the pause.",
  "sequence=stop": "The sequence is stopped; the emails not sent were canceled.",
  "saved=1": "Saved.",
};

export default function ApplicationPage({ data, state, url }: PageProps<Data, AppState>) {
  const a = data.application;
  const tz = state.user?.timezone;
  const typed = (action: string) => (data.typed?.action === action ? data.typed.values : undefined);
  const offer = (typed("offer") ?? a.offer_details) as Record<string, string | number | undefined>;
  const csrf = <CsrfField token={state.csrfToken} />;
  const imported = url.searchParams.get("imported");
  const notice = data.errors || data.contactForm || data.review?.errors
    ? undefined
    : imported !== null
    ? `Imported ${imported} contact${imported === "1" ? "" : "s"}; ${
      url.searchParams.get("known") ?? 0
    } already known.`
    : Object.entries(NOTICES).find(([q]) => url.search.includes(q))?.[1];
  const next = nextStage(a.status);
  return (
    <>
      <p>
        <a href="/applications">← Applications</a>
      </p>
      <h1>{a.job.title}</h1>
      <p class="meta">
        <span>{a.job.company.name}</span>
        <span>
          Status: <span class="status">{STATUS_LABELS[a.status] ?? a.status}</span>
        </span>
        {a.match_score !== null && <span>match {a.match_score}</span>}
        <a href={`/jobs/${a.job_id}`}>the job</a>
      </p>
      {notice && <p class="notice notice-ok" role="status">{notice}</p>}
      <ErrorSummary errors={data.errors} title="Not saved" />

      {data.confirmDelete && (
        <section class="panel notice-error" aria-labelledby="confirm-heading" id="confirm-delete">
          <h2 id="confirm-heading">Delete this application?</h2>
          <p>
            Its notes, interviews, offer and outreach history go with it. Emails not sent yet are canceled.
          </p>
          <form method="post" class="actions">
            {csrf}
            <input type="hidden" name="action" value="delete" />
            <input type="hidden" name="confirm" value="yes" />
            <button type="submit" class="button-danger" autofocus>Yes, delete it</button>
            <a href={`/applications/${a.id}`}>Keep it</a>
          </form>
        </section>
      )}

      <div class="grid">
        <section class="panel" aria-labelledby="status-heading">
          <h2 id="status-heading">Status</h2>
          <form method="post" class="actions">
            {csrf}
            <input type="hidden" name="action" value="move" />
            <label class="sr-only" for="status">Move to</label>
            <select id="status" name="status">
              {allowedMoves(a.status).map((s) => (
                <option key={s} value={s} selected={s === next}>{STATUS_LABELS[s]}</option>
              ))}
            </select>
            <button type="submit">Move</button>
          </form>
          <p class="muted">
            {a.applied_at ? `Applied ${localDate(a.applied_at, tz)}` : "Not applied yet"}; last activity{" "}
            {a.last_action_at ? localDate(a.last_action_at, tz) : "–"}; replies:{" "}
            {a.reply_status ?? "none yet"}.
          </p>
        </section>

        <section class="panel" aria-labelledby="notes-heading">
          <h2 id="notes-heading">Notes</h2>
          <form method="post" class="stack" data-draft="notes">
            {csrf}
            <input type="hidden" name="action" value="notes" />
            <label class="sr-only" for="notes">Notes</label>
            <textarea
              id="notes"
              name="notes"
              aria-invalid={data.errors?.notes ? "true" : undefined}
              aria-describedby={data.errors?.notes ? "notes-error" : undefined}
            >
              {typed("notes")?.notes ?? a.notes ?? ""}
            </textarea>
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
                    {localDateTime(d.at, tz)}
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
                When <span class="hint">({tz ?? "UTC"})</span>
              </label>
              <input
                id="at"
                name="at"
                type="datetime-local"
                required
                value={typed("add_interview")?.at ?? ""}
                aria-invalid={errorFor(data.errors, "interview_dates") ? "true" : undefined}
                aria-describedby={errorFor(data.errors, "interview_dates")
                  ? "interview_dates-error"
                  : undefined}
              />
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
          <form method="post" class="stack" data-draft="offer">
            {csrf}
            <input type="hidden" name="action" value="offer" />
            <div class="grid">
              <div>
                <label for="salary">
                  Salary <span class="hint">(180k, 180,000 or $180,000)</span>
                </label>
                <input
                  id="salary"
                  name="salary"
                  type="text"
                  inputMode="numeric"
                  value={offer.salary ?? ""}
                  aria-invalid={data.errors?.["offer_details.salary"] ? "true" : undefined}
                  aria-describedby={data.errors?.["offer_details.salary"] ? "offer_details-error" : undefined}
                />
              </div>
              <div>
                <label for="currency">Currency</label>
                <input id="currency" name="currency" type="text" maxLength={3} value={offer.currency ?? ""} />
              </div>
              <div>
                <label for="bonus">Bonus</label>
                <input
                  id="bonus"
                  name="bonus"
                  type="text"
                  inputMode="numeric"
                  value={offer.bonus ?? ""}
                  aria-invalid={data.errors?.["offer_details.bonus"] ? "true" : undefined}
                  aria-describedby={data.errors?.["offer_details.bonus"] ? "offer_details-error" : undefined}
                />
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
        <p>
          <a href={`/applications/${a.id}/live-page`}>Your live page for this job</a>
        </p>
        <OutreachTimeline
          items={data.outreach}
          timezone={tz}
          csrfToken={state.csrfToken}
          inbound={data.inbound}
        />
        {data.review && <OutreachReview review={data.review} csrfToken={state.csrfToken} timezone={tz} />}
        <StartOutreach
          company={a.job.company.name}
          contacts={data.contacts}
          sequences={data.sequences}
          csrfToken={state.csrfToken}
          selected={data.review}
        />
        <details class="add-contact" open={data.contactForm ? true : undefined}>
          <summary>Add a contact at {a.job.company.name}</summary>
          <ContactForm
            values={data.contactForm?.values}
            errors={data.contactForm?.errors}
            csrfToken={state.csrfToken}
            action="add_contact"
          />
        </details>
        <details class="add-contact" open={data.contactImport ? true : undefined}>
          <summary>Import contacts from a CSV file</summary>
          <ContactImport
            csv={data.contactImport?.csv}
            preview={data.contactImport?.preview}
            errors={data.contactImport?.errors}
            csrfToken={state.csrfToken}
          />
        </details>
        {data.contacts.length > 0 && (
          <ul class="contacts">
            {data.contacts.map((c) => (
              <li key={c.id}>
                <a href={`/contacts/${c.id}`}>{c.full_name}</a>
                {c.title && <span class="muted">, {c.title}</span>}
                {c.opted_out && <span class="tag">opted out</span>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="panel" aria-labelledby="danger-heading">
        <h2 id="danger-heading">Stop tracking</h2>
        <form method="post" data-confirm="Delete this application and its outreach?">
          {csrf}
          <input type="hidden" name="action" value="delete" />
          <button type="submit" class="button-danger">Delete this application and its outreach</button>
        </form>
      </section>
    </>
  );
}
