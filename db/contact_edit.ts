/**
 * One contact, read and edited (contract §6 `GET`/`PATCH /api/contacts/:id`).
 * Contacts are a catalogue shared per company, so anyone signed in may read
 * one, but only the user who added it may change it (`created_by_user_id`,
 * filled in by the database on insert, migration 0055). The opt-out, bounce
 * and complaint state is never editable here: it belongs to the person and
 * the provider's events.
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { HttpError } from "@/core/http_error.ts";
import { type StoredVerification, verificationJson } from "./contact_verification.ts";

export interface ContactDetail {
  id: number;
  company_id: number;
  company_name: string;
  full_name: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  /** Null for a contact added by name only (migration 0075). */
  email: string | null;
  linkedin_url: string | null;
  notes: string | null;
  email_guessed: boolean;
  verification: StoredVerification | null;
  source: string;
  opted_out: boolean;
  opted_out_at: Date | null;
  bounce_count: number;
  spam_reports: number;
  last_contacted_at: Date | null;
  /** The caller added it, so may edit it. */
  can_edit: boolean;
}

export interface ContactChanges {
  full_name?: string;
  first_name?: string | null;
  last_name?: string | null;
  title?: string | null;
  email?: string;
  linkedin_url?: string | null;
  notes?: string | null;
}

async function selectContact(tx: Tx, id: number): Promise<ContactDetail | undefined> {
  const [row] = await tx<ContactDetail[]>`
    select c.id, c.company_id, co.name as company_name, c.full_name, c.first_name, c.last_name, c.title,
      contact_address(c.email) as email, c.email_guessed, ${tx.unsafe(verificationJson())} as verification,
      c.linkedin_url, c.notes, c.source,
      (coalesce(c.opted_out, false)
        or exists (select 1 from contacts x where lower(x.email) = lower(c.email) and x.opted_out)) as opted_out,
      c.opted_out_at, coalesce(c.bounce_count, 0) as bounce_count, coalesce(c.spam_reports, 0) as spam_reports,
      c.last_contacted_at,
      coalesce(c.created_by_user_id = (select nullif(current_setting('app.current_user_id', true), '')::int),
               false) as can_edit
    from contacts c join companies co on co.id = c.company_id
    where c.id = ${id}::int`;
  return row;
}

/** The contact, or undefined. */
export async function getContact(sql: Sql, userId: number, id: number): Promise<ContactDetail | undefined> {
  return await withUser(sql, userId, (tx) => selectContact(tx, id));
}

/**
 * Changes the given fields. 404 for an unknown contact, 403 for one the
 * caller did not add, 409 when the new email belongs to another contact at
 * the same company.
 */
export async function updateContact(
  sql: Sql,
  userId: number,
  id: number,
  changes: ContactChanges,
): Promise<ContactDetail> {
  return await withUser(sql, userId, async (tx) => {
    const current = await selectContact(tx, id);
    if (!current) throw new HttpError(404, "contact not found");
    if (!current.can_edit) {
      throw new HttpError(403, "only the person who added this contact can change it", {
        code: "not_creator",
      });
    }
    const next = { ...current, ...changes };
    try {
      await tx`
        update contacts set full_name = ${next.full_name}::varchar, first_name = ${next.first_name}::varchar,
          last_name = ${next.last_name}::varchar, title = ${next.title}::varchar,
          -- a name-only contact keeps its placeholder until an email is given; a typed email is no guess
          email = coalesce(${next.email}::varchar, email),
          email_guessed = email_guessed and ${changes.email ?? null}::varchar is null,
          linkedin_url = ${next.linkedin_url}::varchar, notes = ${next.notes}::text
        where id = ${id}::int`;
    } catch (error) {
      if ((error as { code?: string }).code === "23505") {
        throw new HttpError(409, "another contact at this company has this email", {
          fields: { email: "another contact at this company has this email" },
        });
      }
      throw error;
    }
    return (await selectContact(tx, id))!;
  });
}

/** Which of `emails` (any case) are already contacts at the company: an import merges those rows. */
export async function findKnownEmails(
  sql: Sql,
  userId: number,
  companyId: number,
  emails: string[],
): Promise<Set<string>> {
  if (!emails.length) return new Set();
  const rows = await withUser(sql, userId, (tx) =>
    tx<{ email: string }[]>`
      select lower(email) as email from contacts
      where company_id = ${companyId}::int and lower(email) = any(${
      emails.map((e) => e.toLowerCase())
    }::text[])`);
  return new Set(rows.map((r) => r.email));
}
