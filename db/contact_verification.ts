/**
 * Stored address verification of contacts (migration 0075): the latest
 * result, its reason, when it was checked and when it expires (90 days), and
 * whether the address was guessed. Reading goes through `withUser` (RLS); the
 * result is written by the owner, as opt-outs are: it is the system's finding,
 * not a user's edit, and `app_user` has no UPDATE on the shared contacts.
 */
import { type Sql, withUser } from "./client.ts";
import type { KnownContact } from "@/core/deliverability/address_patterns.ts";
import type { Verification } from "@/core/deliverability/verification.ts";

export interface StoredVerification {
  result: "valid" | "risky" | "invalid";
  reason: string;
  checked_at: string;
  expires_at: string;
}

export interface VerificationTarget {
  id: number;
  email: string | null;
  email_guessed: boolean;
  opted_out: boolean;
  bounce_count: number;
  /** The stored result for the current email, null when none (or it was about an earlier email). */
  verification: StoredVerification | null;
  /** Whether the stored result is still within its 90 days. */
  fresh: boolean;
}

/**
 * The `verification` object of a contact, as SQL (for the contact's column
 * lists): null when never checked or when the email changed since.
 */
export function verificationJson(alias = "c"): string {
  const c = alias ? `${alias}.` : "";
  return `case when ${c}verification_result is null or ${c}verification_email is distinct from ${c}email
      or contact_address(${c}email) is null then null
    else json_build_object('result', ${c}verification_result, 'reason', ${c}verification_reason,
      'checked_at', ${c}verification_checked_at, 'expires_at', ${c}verification_expires_at) end`;
}

/** The contact as verification needs it; undefined when the user cannot see it. */
export async function getVerificationTarget(
  sql: Sql,
  userId: number,
  contactId: number,
): Promise<VerificationTarget | undefined> {
  return await withUser(sql, userId, async (tx) => {
    const [row] = await tx.unsafe<VerificationTarget[]>(
      `select c.id, contact_address(c.email) as email, c.email_guessed, coalesce(c.opted_out, false) as opted_out,
         coalesce(c.bounce_count, 0) as bounce_count, ${verificationJson()} as verification,
         (c.verification_email is not distinct from c.email and c.verification_expires_at > now()) as fresh
       from contacts c where c.id = $1::int`,
      [contactId],
    );
    return row;
  });
}

/**
 * Stores a result for the address it was about (unless the contact's email
 * changed meanwhile). A probe that accepted the address confirms a guess.
 * `sql` is the owner pool, not a user's transaction: app_user may not update contacts.
 */
export async function storeContactVerification(
  sql: Sql,
  contactId: number,
  email: string,
  v: Verification,
  ttlDays: number,
): Promise<StoredVerification | null> {
  const [row] = await sql<{ verification: StoredVerification }[]>`
    update contacts c set verification_result = ${v.result}::varchar, verification_reason = ${v.reason}::varchar,
      verification_checked_at = now(), verification_expires_at = now() + make_interval(days => ${ttlDays}::int),
      verification_email = c.email,
      email_guessed = c.email_guessed and not ${v.probe === "accepted"}::boolean
    where c.id = ${contactId}::int and c.email = ${email}::varchar
    returning ${sql.unsafe(verificationJson())} as verification`;
  return row?.verification ?? null;
}

/**
 * Contacts already known at a mail domain, as evidence for its naming
 * pattern: those of the companies with that domain (the companies.domain
 * index), at most 2000.
 */
export async function listKnownContactsAtDomain(
  sql: Sql,
  userId: number,
  domain: string,
): Promise<KnownContact[]> {
  return await withUser(sql, userId, async (tx) =>
    await tx<KnownContact[]>`
      select c.full_name, c.first_name, c.last_name, c.email
      from contacts c join companies co on co.id = c.company_id
      where co.domain = lower(${domain}::varchar) and contact_address(c.email) is not null
      order by c.id limit 2000`);
}
