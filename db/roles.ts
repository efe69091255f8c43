/**
 * Recruiter mode (issue 14, docs/accounts.md): a role is the recruiter's `applications` row for a job (imported,
 * or created here for a client company as a private job), and its candidate pipeline is `role_candidates`.
 * Reads and pipeline writes run under row-level security; creating a private job and its client company runs
 * on the owner pool (app_user may not write jobs or companies).
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { HttpError } from "@/core/http_error.ts";
import { type Stage, STAGES } from "@/core/role_schemas.ts";

export interface RoleSummary {
  id: number;
  job: { id: number; title: string; location: string | null; private: boolean };
  company: { id: number; name: string; domain: string | null };
  created_at: Date;
  pipeline: Record<Stage, number>;
}

export interface Candidate {
  id: number;
  contact: { id: number; full_name: string; email: string; title: string | null; company: string };
  stage: Stage;
  /** The newest outreach status to this candidate for this role, if any. */
  outreach_status: string | null;
  updated_at: Date;
}

/**
 * The effective stage: the stored one, moved forward by what the outreach shows (a sent email makes a sourced
 * candidate contacted, a reply makes them replied). Later stages are the recruiter's to set.
 */
const EFFECTIVE_STAGE = `case
    when rc.stage in ('sourced', 'contacted') and exists (select 1 from outreach o where o.application_id = rc.application_id
      and o.contact_id = rc.contact_id and o.status = 'replied') then 'replied'
    when rc.stage = 'sourced' and exists (select 1 from outreach o where o.application_id = rc.application_id
      and o.contact_id = rc.contact_id and o.sent_at is not null) then 'contacted'
    else rc.stage end`;

/** The recruiter's roles with their pipeline counts, newest first. */
export async function listRoles(sql: Sql, userId: number): Promise<RoleSummary[]> {
  return await withUser(sql, userId, async (tx) => {
    const rows = await tx.unsafe<(Omit<RoleSummary, "pipeline"> & { stages: Stage[] | null })[]>(
      `select a.id, a.applied_at as created_at,
         json_build_object('id', j.id, 'title', j.title, 'location', j.location, 'private', j.owner_user_id is not null) as job,
         json_build_object('id', c.id, 'name', c.name, 'domain', c.domain) as company,
         (select array_agg(${EFFECTIVE_STAGE}) from role_candidates rc where rc.application_id = a.id) as stages
       from applications a join jobs j on j.id = a.job_id join companies c on c.id = j.company_id
       order by a.applied_at desc, a.id desc`,
    );
    return rows.map(({ stages, ...role }) => ({
      ...role,
      pipeline: Object.fromEntries(
        STAGES.map((s) => [s, (stages ?? []).filter((x) => x === s).length]),
      ) as Record<
        Stage,
        number
      >,
    }));
  });
}

/** One role (404 when it is not the caller's). */
export async function getRole(sql: Sql, userId: number, roleId: number): Promise<RoleSummary> {
  const role = (await listRoles(sql, userId)).find((r) => r.id === roleId);
  if (!role) throw new HttpError(404, "role not found");
  return role;
}

/** The candidates of a role, by stage then name. */
export async function listCandidates(sql: Sql, userId: number, roleId: number): Promise<Candidate[]> {
  return await withUser(sql, userId, async (tx) => {
    const [app] = await tx`select id from applications where id = ${roleId}::int`;
    if (!app) throw new HttpError(404, "role not found");
    return await tx.unsafe<Candidate[]>(
      `select rc.id, rc.updated_at, ${EFFECTIVE_STAGE} as stage,
         json_build_object('id', ct.id, 'full_name', ct.full_name, 'email', ct.email, 'title', ct.title,
                           'company', co.name) as contact,
         (select o.status from outreach o where o.application_id = rc.application_id and o.contact_id = rc.contact_id
          order by o.step_no desc, o.id desc limit 1) as outreach_status
       from role_candidates rc join contacts ct on ct.id = rc.contact_id join companies co on co.id = ct.company_id
       where rc.application_id = $1::int
       order by array_position($2::text[], (${EFFECTIVE_STAGE})::text), ct.full_name, rc.id`,
      [roleId, STAGES as unknown as string[]],
    );
  });
}

/** One candidate of the role as the list shows it (404 when not on this role of the caller). */
export async function getCandidate(
  sql: Sql,
  userId: number,
  roleId: number,
  candidateId: number,
): Promise<Candidate> {
  const candidate = (await listCandidates(sql, userId, roleId)).find((c) => c.id === candidateId);
  if (!candidate) throw new HttpError(404, "candidate not found");
  return candidate;
}

/** Makes a job the recruiter fills into a role (409 when it already is one). */
export async function createRoleForJob(sql: Sql, userId: number, jobId: number): Promise<number> {
  return await withUser(sql, userId, async (tx) => {
    const [job] = await tx`
      select id from jobs where id = ${jobId}::int and (owner_user_id is null or owner_user_id = ${userId}::int)`;
    if (!job) throw new HttpError(422, "invalid values", { fields: { job_id: "no such job" } });
    const [existing] = await tx`select id from applications where job_id = ${jobId}::int`;
    if (existing) throw new HttpError(409, "this job is already one of your roles", { code: "duplicate" });
    const [row] = await tx<{ id: number }[]>`
      insert into applications (user_id, job_id, status) values (${userId}::int, ${jobId}::int, 'saved') returning id`;
    return row.id;
  });
}

/**
 * Creates a private job for a client company (found by domain, or created) and makes it a role, in one
 * transaction on the owner pool.
 */
export async function createClientRole(
  sql: Sql,
  userId: number,
  input: {
    title: string;
    company: { name: string; domain?: string | null };
    location?: string | null;
    description?: string | null;
  },
): Promise<number> {
  return await sql.begin(async (tx) => {
    const companyId = await findOrCreateCompany(tx, input.company);
    const [job] = await tx<{ id: number }[]>`
      insert into jobs (external_id, source, title, company_id, location, description, owner_user_id, posted_date)
      values (${`recruiter-${userId}-${crypto.randomUUID()}`}::varchar, 'recruiter', ${input.title}::varchar,
              ${companyId}::int, ${input.location ?? null}::varchar, ${input.description ?? null}::text,
              ${userId}::int, now())
      returning id`;
    const [app] = await tx<{ id: number }[]>`
      insert into applications (user_id, job_id, status) values (${userId}::int, ${job.id}::int, 'saved') returning id`;
    return app.id;
  });
}

/**
 * The company of `domain` when known, else a new one (without a domain: a new row each time, since name alone
 * does not identify a company). Owner pool (or a transaction on it): app_user may not write companies.
 */
export async function findOrCreateCompany(
  sql: Sql | Tx,
  company: { name: string; domain?: string | null },
): Promise<number> {
  const domain = company.domain?.trim().toLowerCase() || null;
  if (domain) {
    const [found] = await sql<{ id: number }[]>`select id from companies where domain = ${domain}::varchar`;
    if (found) return found.id;
  }
  const [row] = await sql<{ id: number }[]>`
    insert into companies (name, domain) values (${company.name}::varchar, ${domain}::varchar)
    on conflict (domain) do update set name = companies.name returning id`;
  return row.id;
}

/** Puts a contact on the role's pipeline as sourced (or answers the existing candidate). */
export async function addCandidate(
  sql: Sql,
  userId: number,
  roleId: number,
  contactId: number,
): Promise<number> {
  return await withUser(sql, userId, async (tx) => {
    const [app] = await tx`select id from applications where id = ${roleId}::int`;
    if (!app) throw new HttpError(404, "role not found");
    const [contact] = await tx`select id from contacts where id = ${contactId}::int`;
    if (!contact) throw new HttpError(422, "invalid values", { fields: { contact_id: "no such contact" } });
    const [row] = await tx<{ id: number }[]>`
      insert into role_candidates (user_id, application_id, contact_id) values (${userId}::int, ${roleId}::int, ${contactId}::int)
      on conflict (application_id, contact_id) do update set updated_at = role_candidates.updated_at
      returning id`;
    return row.id;
  });
}

/** Sets a candidate's stage (404 for another user's candidate or another role's). */
export async function setCandidateStage(
  sql: Sql,
  userId: number,
  roleId: number,
  candidateId: number,
  stage: Stage,
) {
  return await withUser(sql, userId, async (tx) => {
    const rows = await tx`
      update role_candidates set stage = ${stage}::varchar, updated_at = now()
      where id = ${candidateId}::int and application_id = ${roleId}::int returning id`;
    if (!rows.length) throw new HttpError(404, "candidate not found");
  });
}

/** The candidate's contact id (404 when not on this role of the caller). */
export async function getCandidateContact(
  sql: Sql,
  userId: number,
  roleId: number,
  candidateId: number,
): Promise<number> {
  return await withUser(sql, userId, async (tx) => {
    const [row] = await tx<{ contact_id: number }[]>`
      select contact_id from role_candidates where id = ${candidateId}::int and application_id = ${roleId}::int`;
    if (!row) throw new HttpError(404, "candidate not found");
    return row.contact_id;
  });
}

/** The platform's "Recruiter Cold Intro" template: the default for outreach to candidates. */
export async function recruiterIntroSequenceId(sql: Sql): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    select id from sequence_templates where is_platform and name = 'Recruiter Cold Intro'`;
  if (!row) throw new HttpError(503, "the Recruiter Cold Intro template is missing");
  return row.id;
}
