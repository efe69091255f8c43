/**
 * Jobs for the job seeker: the search and the job page, under the user's row-level security transaction
 * (which also reads their profile for the match scores). The import is db/job_imports.ts.
 */
import { withUser } from "./client.ts";
import { withReader } from "./replicas.ts";
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
 * How many index entries the newest-first walk of a text or location search reads, per row asked for,
 * before it gives up and starts from the matches instead (`searchJobs`): 1,000 is a filter that keeps one
 * job in a thousand, where reading the matches out of the GIN indexes and sorting them gets cheaper than
 * walking on.
 */
export const WALK_PER_ROW = 1000;

/**
 * One page of open jobs for the user, newest first, keyset-paginated on (posted_date, id) so pages stay
 * stable while jobs are inserted. Expired jobs and the user's hidden companies are left out. The title
 * search reads the stored `title_tsv` (migration 0012).
 *
 * The page's ids come first, from `idx_jobs_search_keyset` (the keyset order with every filtered column),
 * then only those rows are read with their companies. Which way the ids are found:
 * - no text or location filter, or a company: one statement the planner plans for its own values (an
 *   index-only walk newest first, or `idx_jobs_company`);
 * - a title or location filter: an index-only walk of at most `WALK_PER_ROW` entries per row asked for; if
 *   the page is not full by then the filter is rare, and the ids are taken from the matches
 *   (`idx_jobs_title_tsv`, `idx_jobs_location_trgm`), sorted. Either way the page is the first rows of the
 *   keyset order that pass every filter, so pagination does not depend on the path.
 */
export function searchJobs(
  userId: number,
  s: JobSearch,
): Promise<{ items: JobListItem[]; last?: { posted: string | null; id: number } }> {
  return withReader(userId, async (tx) => { // a replica when one is fresh enough (db/replicas.ts)
    const profile = await getMatchProfile(tx, userId);
    const like = (v: string) => `%${v.replace(/[\\%_]/g, "\\$&")}%`;
    const take = s.limit + 1;
    // Fresh fragments for each statement; every column they read is in idx_jobs_search_keyset.
    // `walk`: the tsquery as a scalar subquery, computed once; a generic plan would otherwise parse and stem
    // the search text again for every row the walk reads (18 ms instead of 7 for 9,000 rows). The
    // matches-first form keeps the call itself, so the planner sees the terms and their frequency.
    const filters = (walk = false) =>
      tx`(j.expires_at is null or j.expires_at > now())
        and j.company_id <> all(${profile.hidden_companies}::int[])
        ${
        !s.q
          ? tx``
          : walk
          ? tx`and j.title_tsv @@ (select websearch_to_tsquery('english', ${s.q}::text))`
          : tx`and j.title_tsv @@ websearch_to_tsquery('english', ${s.q}::text)`
      }
        ${s.location ? tx`and j.location ilike ${like(s.location)}::text` : tx``}
        ${s.remote === undefined ? tx`` : tx`and j.remote = ${s.remote}::boolean`}
        ${s.comp_min === undefined ? tx`` : tx`and coalesce(j.comp_max, j.comp_min) >= ${s.comp_min}::int`}
        ${s.posted_after ? tx`and j.posted_date >= ${s.posted_after}::timestamptz` : tx``}
        ${s.company_id === undefined ? tx`` : tx`and j.company_id = ${s.company_id}::int`}`;
    // The cursor's time goes as text: a parameter typed timestamptz is serialized by postgres.js through a
    // JavaScript Date (milliseconds), and the jobs posted in the same millisecond as the page's last row, its
    // ties included, would be skipped.
    const after = () =>
      !s.after
        ? tx`true`
        : s.after.posted === null
        ? tx`j.posted_date is null and j.id < ${s.after.id}::int`
        : tx`(j.posted_date < ${s.after.posted}::text::timestamptz
              or (j.posted_date = ${s.after.posted}::text::timestamptz and j.id < ${s.after.id}::int)
              or j.posted_date is null)`;
    // The page's ids (a subquery), then their rows and companies: only the page is read from the table.
    const withRows = (ids: ReturnType<typeof tx>) =>
      tx<SearchRow[]>`
        select j.id, j.posted_date, j.posted_date::text as posted_key, c.id as company_id,
               c.name as company_name, c.domain as company_domain, ${matchJobColumns(tx)}
        from (${ids}) p join jobs j on j.id = p.id join companies c on c.id = j.company_id
        order by j.posted_date desc nulls last, j.id desc`;
    let rows: SearchRow[] | undefined;
    const textOrPlace = Boolean(s.q || s.location) && s.company_id === undefined;
    if (textOrPlace) {
      // Stops at the page's last row: a common word reads a few dozen entries. Short of a full page after
      // WALK_PER_ROW entries per row (or at the end of the jobs), the filter is rare: start from the matches.
      rows = await withRows(tx`
        select j.id from (
          select j.id, j.posted_date, j.expires_at, j.company_id, j.remote, j.comp_min, j.comp_max, j.location,
                 j.title_tsv
          from jobs j where ${after()}
          order by j.posted_date desc nulls last, j.id desc
          limit ${take * WALK_PER_ROW}::int
        ) j
        where ${filters(true)}
        order by j.posted_date desc nulls last, j.id desc
        limit ${take}::int`);
      if (rows.length < take) rows = undefined;
    }
    // Matches first: ordering on an expression no index provides makes the planner read the GIN indexes and
    // sort the matches, planned for these terms (a generic plan would also AND in a common city's trigram
    // bitmap, 55,000 entries, where the rare word alone needs none). Otherwise the planner's choice; the
    // walk and the plain statements keep one plan shape whatever the values, so they may run generic
    // (prepared) plans and skip planning, ~1-3 ms of the search's CPU at a million jobs.
    if (!rows && textOrPlace) await tx`set local plan_cache_mode = force_custom_plan`;
    rows ??= await withRows(tx`
      select j.id from jobs j
      where ${filters()} and ${after()}
      order by ${textOrPlace ? tx`j.posted_date + interval '0 seconds'` : tx`j.posted_date`} desc nulls last,
               j.id desc
      limit ${take}::int`);
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
