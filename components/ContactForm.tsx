import type { FieldErrors } from "@/core/page_forms.ts";
import CsrfField from "./CsrfField.tsx";
import ErrorSummary from "./ErrorSummary.tsx";
import TextField from "./TextField.tsx";

/** What the contact form shows: the values typed (kept after a failed submit). */
export interface ContactFormValues {
  full_name?: string | null;
  email?: string | null;
  title?: string | null;
  linkedin_url?: string | null;
  notes?: string | null;
}

export const CONTACT_FORM_FIELDS = ["full_name", "email", "title", "linkedin_url", "notes"] as const;

/** The form's values from a posted form. */
export function contactFormValues(form: URLSearchParams): ContactFormValues {
  return Object.fromEntries(CONTACT_FORM_FIELDS.map((k) => [k, form.get(k) ?? ""]));
}

/**
 * Add or edit a contact (name, title, email, LinkedIn URL, notes). A form of
 * its own so other pages (and an address-suggestion widget later) can reuse
 * it; `prefix` keeps its ids unique beside other forms on the page, and
 * `action` is the hidden `action` value the page's POST handler dispatches on.
 */
export default function ContactForm(
  { values = {}, errors, csrfToken, action, prefix = "contact", submitLabel = "Add contact", post }: {
    values?: ContactFormValues;
    errors?: FieldErrors;
    csrfToken?: string;
    action: string;
    prefix?: string;
    submitLabel?: string;
    /** Where to post (the current page by default). */
    post?: string;
  },
) {
  const id = (name: string) => `${prefix}-${name}`;
  const fieldIds = Object.fromEntries(CONTACT_FORM_FIELDS.map((k) => [k, id(k)]));
  return (
    <form method="post" action={post} class="stack contact-form" novalidate>
      <CsrfField token={csrfToken} />
      <input type="hidden" name="action" value={action} />
      <ErrorSummary errors={errors} fieldIds={fieldIds} title="The contact was not saved" />
      <TextField
        id={id("full_name")}
        name="full_name"
        label="Name"
        value={values.full_name}
        errors={errors}
        required
        autocomplete="off"
      />
      <TextField
        id={id("email")}
        name="email"
        type="email"
        label="Email"
        value={values.email}
        errors={errors}
        required
        autocomplete="off"
      />
      <TextField
        id={id("title")}
        name="title"
        label="Title"
        hint="optional"
        value={values.title}
        errors={errors}
      />
      <TextField
        id={id("linkedin_url")}
        name="linkedin_url"
        type="url"
        label="LinkedIn URL"
        hint="optional"
        value={values.linkedin_url}
        errors={errors}
        placeholder="https://www.linkedin.com/in/…"
      />
      <TextField
        id={id("notes")}
        name="notes"
        label="Notes"
        hint="optional"
        value={values.notes}
        errors={errors}
        multiline
      />
      <div>
        <button type="submit">{submitLabel}</button>
      </div>
    </form>
  );
}
