/**
 * The admin's mailbox forms (`/admin/mailboxes/new`, `/admin/mailboxes/:id`)
 * read into the API's bodies, so zod checks them exactly as it checks the
 * API's. With the Mailgun transport a mailbox needs only its address and
 * domain: the SMTP fields are not used for sending and get placeholders.
 */
import { CreateMailbox, UpdateMailbox } from "@/core/outreach_schemas.ts";
import { humanErrors } from "@/core/form_messages.ts";
import { field, type FieldErrors, optionalInt } from "@/core/page_forms.ts";
import { issuesToFields } from "@/core/validate.ts";
import type { NewMailbox } from "@/db/mailboxes.ts";
import type { MailboxChanges } from "@/db/mailbox_admin.ts";

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const MAILGUN_SMTP = "smtp.mailgun.org";

export function parseNewMailbox(form: URLSearchParams, transport: string): Parsed<NewMailbox> {
  const email = field(form, "email").trim();
  const mailgun = transport === "mailgun";
  const port = optionalInt(form, "smtp_port");
  const cap = optionalInt(form, "daily_cap");
  const result = CreateMailbox.safeParse({
    email,
    domain: field(form, "domain").trim() || email.split("@")[1] || "",
    smtp_host: field(form, "smtp_host").trim() || (mailgun ? MAILGUN_SMTP : ""),
    ...(port !== null ? { smtp_port: port } : {}),
    smtp_username: field(form, "smtp_username").trim() || (mailgun ? email : ""),
    smtp_password: field(form, "smtp_password") || (mailgun ? "unused-with-mailgun" : ""),
    ...(cap !== null ? { daily_cap: cap } : {}),
    status: field(form, "status") || "warmup",
    warmup_enabled: form.has("warmup_enabled"),
  });
  if (!result.success) return { ok: false, errors: humanErrors(issuesToFields(result.error.issues)) };
  return { ok: true, value: result.data };
}

export function parseMailboxChanges(form: URLSearchParams): Parsed<MailboxChanges> {
  const cap = optionalInt(form, "daily_cap");
  const start = field(form, "warmup_start_date");
  const result = UpdateMailbox.safeParse({
    ...(cap !== null ? { daily_cap: cap } : {}),
    warmup_enabled: form.has("warmup_enabled"),
    ...(start ? { warmup_start_date: /^\d{4}-\d{2}-\d{2}$/.test(start) ? `${start}T00:00:00Z` : start } : {}),
  });
  if (!result.success) return { ok: false, errors: humanErrors(issuesToFields(result.error.issues)) };
  return { ok: true, value: result.data };
}
