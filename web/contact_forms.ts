/**
 * The add/edit contact form of the pages, read into what db/contacts.ts and
 * db/contact_edit.ts take: empty optional fields are null, and zod's
 * messages become the people-facing ones of core/form_messages.ts.
 */
import { ContactFields, UpdateContact } from "@/core/outreach_schemas.ts";
import { humanErrors } from "@/core/form_messages.ts";
import { field, type FieldErrors } from "@/core/page_forms.ts";
import { issuesToFields } from "@/core/validate.ts";
import type { ContactInput } from "@/db/contacts.ts";
import type { ContactChanges } from "@/db/contact_edit.ts";

const optional = (form: URLSearchParams, name: string) => field(form, name).trim() || null;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** A new contact from the form (`source: "manual"`), and its notes. */
export function parseNewContact(
  form: URLSearchParams,
): Parsed<{ contact: ContactInput; notes: string | null }> {
  const result = ContactFields.safeParse({
    full_name: field(form, "full_name"),
    email: field(form, "email").trim(),
    title: optional(form, "title"),
    linkedin_url: optional(form, "linkedin_url"),
    source: "manual",
  });
  const notes = optional(form, "notes");
  const errors: FieldErrors = result.success ? {} : humanErrors(issuesToFields(result.error.issues));
  if (notes && notes.length > 5000) errors.notes = "must be at most 5000 characters";
  if (!result.success || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { contact: result.data, notes } };
}

/** The edit form: every field it shows. */
export function parseContactChanges(form: URLSearchParams): Parsed<ContactChanges> {
  const result = UpdateContact.safeParse({
    full_name: field(form, "full_name"),
    email: field(form, "email").trim(),
    title: optional(form, "title"),
    linkedin_url: optional(form, "linkedin_url"),
    notes: optional(form, "notes"),
  });
  if (!result.success) return { ok: false, errors: humanErrors(issuesToFields(result.error.issues)) };
  return { ok: true, value: result.data };
}
