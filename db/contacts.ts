/**
 * Contacts: a catalogue shared by every user (the people at a company). One
 * contact per company and email, whatever the email's case: creating it again
 * finds the existing one. Opting out, bounces and complaints are counted on
 * the contact (db/outreach_events.ts), and an opted-out contact is never
 * mailed again by anyone.
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { HttpError } from "@/core/http_error.ts";
import { type StoredVerification, verificationJson } from "./contact_verification.ts";

export interface Contact {
  id: number;
  company_id: number;
  full_name: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  /** Null for a contact added by name whose address is not known yet. */
  email: string | null;
  linkedin_url: string | null;
  source: string;
  /** Picked from the proposed addresses and not yet confirmed (a probe accepted it, or a reply came). */
  email_guessed: boolean;
  /** The last verification of the current email (null: never checked). */
  verification: StoredVerification | null;
  opted_out: boolean;
  opted_out_at: Date | null;
  bounce_count: number;
  spam_reports: number;
  last_contacted_at: Date | null;
}

export interface ContactInput {
  full_name: string;
  email: string;
  first_name?: string | null;
  last_name?: string | null;
  title?: string | null;
  linkedin_url?: string | null;
  source: string;
}

/**
 * A contact added one at a time: the email may be left out (added by name, issue 18), and an address picked
 * from the proposals is marked `email_guessed`.
 */
export type NewContactInput = Omit<ContactInput, "email"> & {
  email?: string | null;
  email_guessed?: boolean;
};

const COLUMNS =
  `id, company_id, full_name, first_name, last_name, title, contact_address(email) as email, linkedin_url, source,
  email_guessed, ${
    verificationJson("")
  } as verification, coalesce(opted_out, false) as opted_out, opted_out_at, coalesce(bounce_count, 0) as bounce_count,
  coalesce(spam_reports, 0) as spam_reports, last_contacted_at`;

async function assertCompany(tx: Tx, companyId: number, notFound: "404" | "422"): Promise<void> {
  const [company] = await tx`select 1 from companies where id = ${companyId}::int`;
  if (company) return;
  if (notFound === "404") throw new HttpError(404, "company not found");
  throw new HttpError(422, "invalid values", { fields: { company_id: "no such company" } });
}

/** Inserts the rows that are new; answers how many were. */
async function insertContacts(
  tx: Tx,
  companyId: number,
  rows: NewContactInput[],
  columns = COLUMNS,
): Promise<Contact[]> {
  const json = rows.map((r) => ({
    full_name: r.full_name,
    email: r.email ?? null,
    email_guessed: Boolean(r.email && r.email_guessed),
    first_name: r.first_name ?? null,
    last_name: r.last_name ?? null,
    title: r.title ?? null,
    linkedin_url: r.linkedin_url ?? null,
    source: r.source,
  }));
  return await tx.unsafe<Contact[]>(
    `insert into contacts (company_id, full_name, email, first_name, last_name, title, linkedin_url, source,
                           opted_out, opted_out_at, email_guessed)
     select $1::int, r.full_name, coalesce(r.email, contact_address_placeholder()), r.first_name, r.last_name, r.title, r.linkedin_url, r.source,
            o.opted_out_at is not null, o.opted_out_at, coalesce(r.email_guessed, false)
     from jsonb_to_recordset($2::text::jsonb) as r(full_name varchar, email varchar, first_name varchar,
       last_name varchar, title varchar, linkedin_url varchar, source varchar, email_guessed boolean)
     -- an address that opted out anywhere stays opted out here (the opt-out belongs to the person)
     left join lateral (
       select min(coalesce(x.opted_out_at, now())) as opted_out_at from contacts x
       where lower(x.email) = lower(r.email) and x.opted_out
     ) o on true
     on conflict (company_id, lower(email)) do nothing
     returning ${columns}`,
    [companyId, JSON.stringify(json)],
  );
}

/**
 * Creates the contact, or finds the one with the same email (any case) at the
 * same company: `created` says which (201 or 200).
 */
export async function createContact(
  sql: Sql,
  userId: number,
  companyId: number,
  input: NewContactInput,
): Promise<{ contact: Contact; created: boolean }> {
  return await withUser(sql, userId, async (tx) => {
    await assertCompany(tx, companyId, "422");
    const [created] = await insertContacts(tx, companyId, [input]);
    if (created) return { contact: created, created: true };
    const [existing] = await tx.unsafe<Contact[]>(
      `select ${COLUMNS} from contacts where company_id = $1::int and lower(email) = lower($2::varchar)`,
      [companyId, input.email ?? null],
    );
    return { contact: existing, created: false };
  });
}

/** The company's contacts, opted-out ones last and marked (`opted_out`). 404 for an unknown company. */
export async function listContactsForCompany(
  sql: Sql,
  userId: number,
  companyId: number,
): Promise<Contact[]> {
  return await withUser(sql, userId, async (tx) => {
    await assertCompany(tx, companyId, "404");
    return await tx.unsafe<Contact[]>(
      `select ${COLUMNS} from contacts where company_id = $1::int
       order by coalesce(opted_out, false), full_name, id limit 1000`,
      [companyId],
    );
  });
}

/**
 * Imports already-validated contacts for one company in one statement: new
 * ones are inserted, known ones (same email, any case, also twice in the same
 * file) are counted as existing and left unchanged.
 */
export async function importContacts(
  sql: Sql,
  userId: number,
  companyId: number,
  rows: ContactInput[],
): Promise<{ inserted: number; existing: number }> {
  return await withUser(sql, userId, async (tx) => {
    await assertCompany(tx, companyId, "404");
    // Only counted: returning the ids, not 5,000 whole rows.
    const inserted = rows.length ? await insertContacts(tx, companyId, rows, "id") : [];
    return { inserted: inserted.length, existing: rows.length - inserted.length };
  });
}

/** One contact as the user sees it (contacts are shared per company); undefined when unknown. */
export async function findContact(
  sql: Sql,
  userId: number,
  contactId: number,
): Promise<Contact | undefined> {
  return await withUser(sql, userId, async (tx) => {
    const [row] = await tx.unsafe<Contact[]>(`select ${COLUMNS} from contacts where id = $1::int`, [
      contactId,
    ]);
    return row;
  });
}
