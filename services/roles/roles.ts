/**
 * Recruiter mode's rules around db/roles.ts: only recruiters see it; a role is a job (imported, or a private
 * one for a client); a candidate is a contact, new or known; candidate outreach defaults to the intro.
 */
import type { Sql } from "@/db/client.ts";
import { createContact } from "@/db/contacts.ts";
import { enrollContact } from "@/services/sequences/enrollment.ts";
import {
  addCandidate,
  createClientRole,
  createRoleForJob,
  findOrCreateCompany,
  getCandidateContact,
  recruiterIntroSequenceId,
} from "@/db/roles.ts";
import { HttpError } from "@/core/http_error.ts";
import type { AppContext } from "@/services/app_context.ts";

/** Job seekers see nothing of recruiter mode: its routes and pages answer 404 for them. */
export function requireRecruiter(user: { mode: string }): void {
  if (user.mode !== "recruiter") throw new HttpError(404, "not found");
}

export async function createRole(
  sql: Sql,
  userId: number,
  input: { job_id: number } | {
    title: string;
    company: { name: string; domain?: string | null };
    location?: string | null;
    description?: string | null;
  },
): Promise<number> {
  return "job_id" in input
    ? await createRoleForJob(sql, userId, input.job_id)
    : await createClientRole(sql, userId, input);
}

/** Adds an existing contact, or a new one at their (current) company, as a sourced candidate. */
export async function sourceCandidate(
  sql: Sql,
  userId: number,
  roleId: number,
  input: { contact_id: number } | {
    full_name: string;
    email: string;
    title?: string | null;
    company: { name: string; domain?: string | null };
  },
): Promise<number> {
  if ("contact_id" in input) return await addCandidate(sql, userId, roleId, input.contact_id);
  const companyId = await findOrCreateCompany(sql, input.company);
  const { contact } = await createContact(sql, userId, companyId, {
    full_name: input.full_name,
    email: input.email,
    title: input.title ?? null,
    source: "recruiter",
  });
  return await addCandidate(sql, userId, roleId, contact.id);
}

/** Enrolls the candidate, with "Recruiter Cold Intro" unless another sequence is named. */
export async function reachCandidate(
  app: AppContext,
  userId: number,
  roleId: number,
  candidateId: number,
  input: { sequence_id?: number; variables?: Record<string, string>; send_window?: boolean },
) {
  const contactId = await getCandidateContact(app.sql, userId, roleId, candidateId);
  return await enrollContact(app, userId, roleId, {
    contact_id: contactId,
    sequence_id: input.sequence_id ?? await recruiterIntroSequenceId(app.sql),
    variables: input.variables,
    send_window: input.send_window,
  });
}
