/**
 * Jobs: the import (owner pool, admin only) and the job seeker's search and job page (under the user's
 * row-level security transaction, which also reads their profile for the match scores).
 */
import { sql, type Tx, withUser } from "./client.ts";
import { getMatchProfile, matchJobColumns, type MatchJobRow, toMatchJob } from "./match_scores.ts";
import { computeMatch, type Match } from "../lib/match.ts";
import type { ImportJobRow } from "../lib/job_import.ts";

export interface ImportResult {
  inserted: number;
  updated: number;
  companies_created: number;
  rejected: { index: number; error: string }[];
}

type Indexed = { index: number; row: ImportJobRow };

/** Upserts one batch in one statement per table; returns the counts. */
async function upsertBatch(tx: Tx, rows: Indexed[]): Promise<Omit<ImportResult, "rejected">> {
  const companies = new Map<string, ImportJobRow["company"]>();
  for (const { row } of rows) {
    if (!companies.has(row.company.domain)) companies.set(row.company.domain, row.company);
  }
  const companyRecords = [...companies.values()].map((c) => ({
    name: c.name,
    domain: c.domain,
    size: c.size ?? null,
    industry: c.industry ?? null,
    tech_stack: c.tech_stack ?? [],
  }));
  const created = await tx<{ created: boolean }[]>`
    insert into companies (name, domain, size, industry, tech_stack)
    select x.name, x.domain, x.size, x.industry, x.tech_stack
    from jsonb_to_recordset(${tx.json(companyRecords)}::jsonb)
      as x(name varchar, domain varchar, size varchar, industry varchar, tech_stack jsonb)
    on conflict (domain) do update set
      name = excluded.name,
      size = coalesce(excluded.size, companies.size),
      industry = coalesce(excluded.industry, companies.industry),
      tech_stack = case when excluded.tech_stack = '[]'::jsonb then companies.tech_stack else excluded.tech_stack end
    returning (xmax = 0) as created`;
  const jobRecords = rows.map(({ row }) => ({
    external_id: row.external_id,
    source: row.source,
    title: row.title,
    domain: row.company.domain,
    location: row.location ?? null,
    remote: row.remote ?? false,
    job_type: row.job_type ?? "full-time",
    description: row.description ?? null,
    comp_min: row.comp_min ?? null,
    comp_max: row.comp_max ?? null,
    requires_visa_sponsorship: row.requires_visa_sponsorship ?? false,
    posted_date: row.posted_date ?? null,
    expires_at: row.expires_at ?? null,
    skills: row.skills,
  }));
  const jobs = await tx<{ inserted: boolean }[]>`
    insert into jobs (external_id, source, title, company_id, location, remote, job_type, description, comp_min,
                      comp_max, requires_visa_sponsorship, posted_date, expires_at, skills, scraped_at)
    select x.external_id, x.source, x.title, c.id, x.location, x.remote, x.job_type, x.description, x.comp_min,
           x.comp_max, x.requires_visa_sponsorship, x.posted_date,
           coalesce(x.expires_at, now() + interval '90 days'), x.skills, now()
    from jsonb_to_recordset(${tx.json(jobRecords)}::jsonb)
      as x(external_id varchar, source varchar, title varchar, domain varchar, location varchar, remote boolean,
           job_type varchar, description text, comp_min int, comp_max int, requires_visa_sponsorship boolean,
           posted_date timestamptz, expires_at timestamptz, skills jsonb)
    join companies c on c.domain = x.domain
    on conflict (external_id) do update set
      source = excluded.source, title = excluded.title, company_id = excluded.company_id,
      location = excluded.location, remote = excluded.remote, job_type = excluded.job_type,
      description = excluded.description, comp_min = excluded.comp_min, comp_max = excluded.comp_max,
      requires_visa_sponsorship = excluded.requires_visa_sponsorship,
      posted_date = coalesce(excluded.posted_date, jobs.posted_date), expires_at = excluded.expires_at,
      skills = excluded.skills, scraped_at = now()
    returning (xmax = 0) as inserted`;
  return {
    inserted: jobs.filter((j) => j.inserted).length,
    updated: jobs.filter((j) => !j.inserted).length,
    companies_created: created.filter((c) => c.created).length,
  };
}

/**
 * Imports validated rows: the whole batch in one transaction; if the database refuses it (a value only
 * it can judge), row by row so that only the bad rows are rejected, each with the database's reason.
 */
export async function importJobBatch(rows: Indexed[]): Promise<ImportResult> {
  if (rows.length === 0) return { inserted: 0, updated: 0, companies_created: 0, rejected: [] };
  try {
    const counts = await sql.begin((tx) => upsertBatch(tx, rows));
    return { ...counts, rejected: [] };
  } catch (error) {
    if (!isDataError(error) || rows.length === 1) {
      if (rows.length === 1 && isDataError(error)) {
        return {
          inserted: 0,
          updated: 0,
          companies_created: 0,
          rejected: [{ index: rows[0].index, error: dbReason(error) }],
        };
      }
      throw error;
    }
  }
  const total: ImportResult = { inserted: 0, updated: 0, companies_created: 0, rejected: [] };
  for (const row of rows) {
    const one = await importJobBatch([row]);
    total.inserted += one.inserted;
    total.updated += one.updated;
    total.companies_created += one.companies_created;
    total.rejected.push(...one.rejected);
  }
  return total;
}

/** Class 22 (data exception) and 23 (integrity constraint): the row's fault, not the server's. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return code.startsWith("22") || code.startsWith("23");
}

function dbReason(error: unknown): string {
  const e = error as { message?: string; constraint_name?: string };
  return `refused by the database: ${e.constraint_name ?? e.message ?? "invalid value"}`;
}

export interface JobSearch {
  q?: string;
  location?: string;
  remote?: boolean;
  comp_min?: number;
  posted_after?: string;
  company_id?: number;
  limit: number;
  /** Decoded keyset position: the last item of the previous page. */
  after?: { posted: string | null; id: number };
}

export interface JobListItem {
  id: number;
  title: string;
  company: { id: number; name: string; domain: string | null };
  location: string | null;
  remote: boolean;
  comp_min: number | null;
  comp_max: number | null;
  posted_date: Date | null;
  match: { score: number; category: string };
}

type SearchRow = MatchJobRow & {
  id: number;
  company_id: number;
  company_name: string;
  company_domain: string | null;
  posted_date: Date | null;
  posted_key: string | null;
};

/**
 * One page of open jobs for the user, newest first, keyset-paginated on (posted_date, id) so pages stay
 * stable while jobs are inserted. Expired jobs and the user's hidden companies are left out. The title
 * search uses the seed's expression index `to_tsvector('english', title)`.
 */
export function searchJobs(
  userId: number,
  s: JobSearch,
): Promise<{ items: JobListItem[]; last?: { posted: string | null; id: number } }> {
  return withUser(userId, async (tx) => {
    // Plan each search for its own terms: a cached generic plan cannot know that "kubernetes" is rare and
    // "engineer" common, and would pick one strategy (walking the date index) for both.
    await tx`set local plan_cache_mode = force_custom_plan`;
    const profile = await getMatchProfile(tx, userId);
    const like = (v: string) => `%${v.replace(/[\\%_]/g, "\\$&")}%`;
    const rows = await tx<SearchRow[]>`
      select j.id, j.posted_date, j.posted_date::text as posted_key, c.id as company_id, c.name as company_name,
             c.domain as company_domain, ${matchJobColumns(tx)}
      from jobs j join companies c on c.id = j.company_id
      where (j.expires_at is null or j.expires_at > now())
        and j.company_id <> all(${profile.hidden_companies}::int[])
        ${
      s.q ? tx`and to_tsvector('english', j.title) @@ websearch_to_tsquery('english', ${s.q}::text)` : tx``
    }
        ${s.location ? tx`and j.location ilike ${like(s.location)}::text` : tx``}
        ${s.remote === undefined ? tx`` : tx`and j.remote = ${s.remote}::boolean`}
        ${s.comp_min === undefined ? tx`` : tx`and coalesce(j.comp_max, j.comp_min) >= ${s.comp_min}::int`}
        ${s.posted_after ? tx`and j.posted_date >= ${s.posted_after}::timestamptz` : tx``}
        ${s.company_id === undefined ? tx`` : tx`and j.company_id = ${s.company_id}::int`}
        ${
      !s.after
        ? tx``
        : s.after.posted === null
        ? tx`and j.posted_date is null and j.id < ${s.after.id}::int`
        : tx`and (j.posted_date < ${s.after.posted}::timestamptz
                  or (j.posted_date = ${s.after.posted}::timestamptz and j.id < ${s.after.id}::int)
                  or j.posted_date is null)`
    }
      order by j.posted_date desc nulls last, j.id desc
      limit ${s.limit + 1}::int`;
    const page = rows.slice(0, s.limit);
    const items = page.map((r) => {
      const match = computeMatch(toMatchJob(r), profile);
      return {
        id: r.id,
        title: r.title,
        company: { id: r.company_id, name: r.company_name, domain: r.company_domain },
        location: r.location,
        remote: r.remote ?? false,
        comp_min: r.comp_min,
        comp_max: r.comp_max,
        posted_date: r.posted_date,
        match: { score: match.score, category: match.category },
      };
    });
    const tail = page.at(-1);
    return {
      items,
      last: rows.length > s.limit && tail ? { posted: tail.posted_key, id: tail.id } : undefined,
    };
  });
}

export interface JobDetail {
  id: number;
  external_id: string | null;
  source: string;
  title: string;
  description: string | null;
  location: string | null;
  remote: boolean;
  job_type: string | null;
  comp_min: number | null;
  comp_max: number | null;
  requires_visa_sponsorship: boolean;
  posted_date: Date | null;
  expires_at: Date | null;
  expired: boolean;
  skills: string[];
  company: {
    id: number;
    name: string;
    domain: string | null;
    size: string | null;
    industry: string | null;
    tech_stack: string[];
    website: string | null;
  };
  match: Match;
  /** The caller's application for this job, if any. */
  application: { id: number; status: string } | null;
}

/** One job with its company, the caller's match (with reasons) and the caller's application, if any. */
export function getJobForUser(userId: number, jobId: number): Promise<JobDetail | undefined> {
  return withUser(userId, async (tx) => {
    const [row] = await tx<(MatchJobRow & Record<string, unknown>)[]>`
      select j.id, j.external_id, j.source, j.description, j.posted_date, j.expires_at,
             (j.expires_at is not null and j.expires_at <= now()) as expired,
             c.id as company_id, c.name as company_name, c.domain as company_domain, c.website as company_website,
             a.id as application_id, a.status as application_status, ${matchJobColumns(tx)}
      from jobs j join companies c on c.id = j.company_id
      left join applications a on a.job_id = j.id and a.user_id = ${userId}::int
      where j.id = ${jobId}::int`;
    if (!row) return undefined;
    const profile = await getMatchProfile(tx, userId);
    const matchJob = toMatchJob({ ...row, match_description: row.description as string | null });
    return {
      id: row.id as number,
      external_id: row.external_id as string | null,
      source: row.source as string,
      title: row.title,
      description: row.description as string | null,
      location: row.location,
      remote: row.remote ?? false,
      job_type: row.job_type,
      comp_min: row.comp_min,
      comp_max: row.comp_max,
      requires_visa_sponsorship: row.requires_visa_sponsorship ?? false,
      posted_date: row.posted_date as Date | null,
      expires_at: row.expires_at as Date | null,
      expired: row.expired as boolean,
      skills: row.skills ?? [],
      company: {
        id: row.company_id as number,
        name: row.company_name as string,
        domain: row.company_domain as string | null,
        size: row.company_size,
        industry: row.company_industry,
        tech_stack: row.company_tech_stack ?? [],
        website: row.company_website as string | null,
      },
      match: computeMatch(matchJob, profile),
      application: row.application_id
        ? { id: row.application_id as number, status: row.application_status as string }
        : null,
    };
  });
}
