/**
 * Jobs for the job seeker: the search and the job page, under the user's row-level security transaction
 * (which also reads their profile for the match scores). The import is db/job_imports.ts.
 */
import { withUser } from "./client.ts";
import { getMatchProfile, matchJobColumns, type MatchJobRow, toMatchJob } from "./match_scores.ts";
import { computeMatch, type Match } from "../lib/match.ts";

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
