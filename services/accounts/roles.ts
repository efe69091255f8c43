/** Recruiter mode's rules around db/roles.ts: only recruiters see it; candidate outreach defaults to the intro. */
import { createContact } from "@/db/contacts.ts";
import { enrollContact } from "@/services/sequences/enrollment.ts";
import type { AppContext } from "@/services/app_context.ts";
import {
  addCandidate,
  createClientRole,
  createRoleForJob,
  findOrCreateCompany,
  getCandidateContact,
  recruiterIntroSequenceId,
} from "@/db/roles.ts";
import { HttpError } from "@/core/http_error.ts";
import type { SessionUser } from "@/web/state.ts";

/** Job seekers see nothing of recruiter mode: its routes and pages answer 404 for them. */
export function requireRecruiter(user: SessionUser): void {
  if (user.mode !== "recruiter") throw new HttpError(404, "not found");
}

export async function createRole(
  userId: number,
  input: { job_id: number } | {
    title: string;
    company: { name: string; domain?: string | null };
    location?: string | null;
    description?: string | null;
  },
): Promise<number> {
  return "job_id" in input
    ? await createRoleForJob(userId, input.job_id)
    : await createClientRole(userId, input);
}

/** Adds an existing contact, or a new one at their (current) company, as a sourced candidate. */
export async function sourceCandidate(
  userId: number,
  roleId: number,
  input: { contact_id: number } | {
    full_name: string;
    email: string;
    title?: string | null;
    company: { name: string; domain?: string | null };
  },
): Promise<number> {
  if ("contact_id" in input) return await addCandidate(userId, roleId, input.contact_id);
  const companyId = await findOrCreateCompany(input.company);
  const { contact } = await createContact(userId, companyId, {
    full_name: input.full_name,
    email: input.email,
    title: input.title ?? null,
    source: "recruiter",
  });
  return await addCandidate(userId, roleId, contact.id);
}

/** Enrolls the candidate, with "Recruiter Cold Intro" unless another sequence is named. */
export async function reachCandidate(
  app: AppContext,
  userId: number,
  roleId: number,
  candidateId: number,
  input: { sequence_id?: number; variables?: Record<string, string>; send_window?: boolean },
) {
  const contactId = await getCandidateContact(userId, roleId, candidateId);
  return await enrollContact(app, userId, roleId, {
    contact_id: contactId,
    sequence_id: input.sequence_id ?? await recruiterIntroSequenceId(),
    variables: input.variables,
    send_window: input.send_window,
  });
}
