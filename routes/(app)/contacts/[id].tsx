/**
 * `/contacts/:id`: one contact, whether they can be emailed (opted out,
 * bounced, complaints), and the edit form for the user who added them.
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { type FieldErrors, readForm, seeOther } from "@/core/page_forms.ts";
import { parseContactChanges } from "@/web/contact_forms.ts";
import { localDateTime } from "@/core/local_time.ts";
import { parseId } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { type ContactDetail, getContact, updateContact } from "@/db/contact_edit.ts";
import ContactForm, { type ContactFormValues, contactFormValues } from "@/components/ContactForm.tsx";

interface Data {
  contact: ContactDetail;
  form?: { values: ContactFormValues; errors: FieldErrors };
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const contact = await getContact(ctx.state.app.sql, user.id, parseId(ctx.params.id, "contact"));
    if (!contact) throw new HttpError(404, "contact not found");
    return ctx.render({ contact } satisfies Data);
  },
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "contact");
    const form = await readForm(ctx.req);
    const contact = await getContact(ctx.state.app.sql, user.id, id);
    if (!contact) throw new HttpError(404, "contact not found");
    const parsed = parseContactChanges(form);
    const refuse = (status: number, errors: FieldErrors) =>
      ctx.render({ contact, form: { values: contactFormValues(form), errors } } satisfies Data, { status });
    if (!parsed.ok) return await refuse(422, parsed.errors);
    try {
      await updateContact(ctx.state.app.sql, user.id, id, parsed.value);
    } catch (error) {
      if (!(error instanceof HttpError) || (error.status !== 409 && error.status !== 403)) throw error;
      return await refuse(error.status, error.fields ?? { full_name: error.message });
    }
    return seeOther(`/contacts/${id}?saved=1`);
  },
};

/** Whether the contact can be emailed, in words. */
function reachability(c: ContactDetail, tz?: string | null): { ok: boolean; text: string } {
  if (c.opted_out) {
    return {
      ok: false,
      text: `Opted out${
        c.opted_out_at ? ` on ${localDateTime(c.opted_out_at, tz)}` : ""
      }: never emailed again.`,
    };
  }
  if (c.bounce_count > 0) {
    return { ok: false, text: `The address bounced (${c.bounce_count}×): fix the email to reach them.` };
  }
  if (c.spam_reports > 0) return { ok: false, text: "They reported an email as spam: not emailed again." };
  return { ok: true, text: "Can be emailed." };
}

export default function ContactPage({ data, state, url }: PageProps<Data, AppState>) {
  const c = data.contact;
  const tz = state.user?.timezone;
  const reach = reachability(c, tz);
  return (
    <>
      <h1>{c.full_name}</h1>
      <p class="meta">
        {c.title && <span>{c.title}</span>}
        <span>{c.company_name}</span>
        <span>{c.email}</span>
        {c.linkedin_url && <a href={c.linkedin_url} rel="noopener noreferrer">LinkedIn</a>}
      </p>
      {url.searchParams.has("saved") && !data.form && <p class="notice notice-ok" role="status">Saved.</p>}
      <section class="panel" aria-labelledby="reach-heading">
        <h2 id="reach-heading">Email</h2>
        <p class={reach.ok ? "" : "notice notice-error"} data-reachable={String(reach.ok)}>{reach.text}</p>
        <dl class="facts">
          <dt>Bounces</dt>
          <dd>{c.bounce_count}</dd>
          <dt>Spam reports</dt>
          <dd>{c.spam_reports}</dd>
          <dt>Last contacted</dt>
          <dd>{c.last_contacted_at ? localDateTime(c.last_contacted_at, tz) : "never"}</dd>
          <dt>Source</dt>
          <dd>{c.source}</dd>
        </dl>
        {c.notes && <p class="description">{c.notes}</p>}
      </section>
      <section class="panel" aria-labelledby="edit-heading">
        <h2 id="edit-heading">Edit</h2>
        {c.can_edit
          ? (
            <ContactForm
              values={data.form?.values ?? c}
              errors={data.form?.errors}
              csrfToken={state.csrfToken}
              action="edit"
              prefix="edit"
              submitLabel="Save contact"
            />
          )
          : <p class="muted">Contacts are shared: only the person who added {c.full_name} can change them.
          </p>}
      </section>
    </>
  );
}
