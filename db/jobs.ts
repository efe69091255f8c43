/**
 * Jobs for the job seeker: the search and the job page, under the user's row-level security transaction
 * (which also reads their profile for the match scores). The import is db/job_imports.ts.
 */
import { type Frag, type Sql, type Tx, withUser } from "./client.ts";
import { getMatchProfile, matchJobColumns, type MatchJobRow, toMatchJob } from "./match_scores.ts";
import { type JobListItem, listItem, rowsOf, type SearchRow } from "./job_rows.ts";
import { matchPage, tableMatchPage } from "./job_match_rank.ts";
import { computeMatch, type Match } from "@/core/match.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseSearchText } from "@/core/search_query.ts";
import type { SearchCursor, SearchSort } from "@/core/search_cursor.ts";

export interface JobSearch {
  q?: string;
  location?: string;
  remote?: boolean;
  comp_min?: number;
  posted_after?: string;
  company_id?: number;
  limit: number;
  /** Best match or newest first; unset: best match when the user has a resume, else newest. */
  sort?: SearchSort;
  /** Decoded cursor: the page after (or before) the row it names. */
  cursor?: SearchCursor;
}

export interface JobPage {
  items: JobListItem[];
  sort: SearchSort;
  next?: SearchCursor;
  prev?: SearchCursor;
  /** How many jobs the search finds, exact up to `COUNT_CAP`; `capped` when there are more. */
  count: { value: number; capped: boolean };
  /** True when the words matched nothing and titles and companies were matched by similarity instead. */
  fuzzy: boolean;
}

/** The count is exact up to this many jobs ("1,000+" after): counting further is work nobody reads. */
export const COUNT_CAP = 1000;
/** Fewer full-text hits than this for a typed text, and titles and companies are matched by similarity. */
export const FUZZY_BELOW = 1;
/** How similar (pg_trgm word similarity) a title or company name must be to the typed text to count. */
export const WORD_SIMILARITY = 0.5;

/**
 * One page of open jobs for the user, newest first or best match first, with a count and cursors both
 * ways. Expired jobs and the user's hidden companies are left out. The text `q` is searched in title,
 * company, skills and description through the stored weighted `search_tsv` (migration 0060), the last word
 * as a prefix (core/search_query.ts); when that finds fewer than `FUZZY_BELOW` jobs, titles and company
 * names similar to the text (trigrams, "engneer") count too.
 *
 * Newest first: the count says which way the page's ids are found. Fewer than `COUNT_CAP` matches: from
 * the matches (GIN indexes), sorted. More: walking the keyset index newest first, where matches are dense.
 * Either way the cursor is an index condition (a row comparison on (posted_date, id), the undated jobs
 * apart), so page 50 starts where page 49 ended. Best match: db/job_match_rank.ts.
 *
 * `sql` is the pool to read from: the search tolerates a little staleness, so callers pass a replica's
 * when one is fresh enough (`app.replicas.readSql`, db/replicas.ts), else the primary.
 */
export function searchJobs(sql: Sql, userId: number, s: JobSearch): Promise<JobPage> {
  return withUser(sql, userId, async (tx) => {
    const profile = await getMatchProfile(tx, userId);
    const sort: SearchSort = s.sort ?? (profile.has_resume ? "match" : "date");
    if (s.cursor && s.cursor.sort !== sort) {
      throw new HttpError(422, "invalid values", { fields: { cursor: "is not a cursor of this search" } });
    }
    const like = (v: string) => `%${v.replace(/[\\%_]/g, "\\$&")}%`;
    const text = s.q ? parseSearchText(s.q) : undefined;
    // No empty parameter: the websearch part is left out when the text is one prefix word.
    const prefix = () => tx`to_tsquery('english', ${text!.prefix}::text || ':*')`;
    const tsq = () =>
      !text!.prefix
        ? tx`websearch_to_tsquery('english', ${text!.web}::text)`
        : text!.web
        ? tx`(websearch_to_tsquery('english', ${text!.web}::text) && ${prefix()})`
        : prefix();
    const words = (fuzzy: boolean) =>
      !s.q ? tx`` : fuzzy
        ? tx`and (j.search_tsv @@ ${tsq()} or ${s.q}::text <% j.title
                  or j.company_id = any(array(select c2.id from companies c2 where ${s.q}::text <% c2.name)))`
        : tx`and j.search_tsv @@ ${tsq()}`;
    // Fresh fragments for each statement.
    const filters = (fuzzy: boolean) =>
      tx`(j.expires_at is null or j.expires_at > now()) and j.owner_user_id is null
        and j.company_id <> all(${profile.hidden_companies}::int[])
        ${words(fuzzy)}
        ${s.location ? tx`and j.location ilike ${like(s.location)}::text` : tx``}
        ${s.remote === undefined ? tx`` : tx`and j.remote = ${s.remote}::boolean`}
        ${s.comp_min === undefined ? tx`` : tx`and coalesce(j.comp_max, j.comp_min) >= ${s.comp_min}::int`}
        ${s.posted_after ? tx`and j.posted_date >= ${s.posted_after}::timestamptz` : tx``}
        ${s.company_id === undefined ? tx`` : tx`and j.company_id = ${s.company_id}::int`}`;
    await tx`set local plan_cache_mode = force_custom_plan`;
    const countOf = async (fuzzy: boolean) => {
      const [{ n }] = await tx<{ n: number }[]>`
        select count(*)::int as n from (select 1 from jobs j where ${filters(fuzzy)} limit ${
        COUNT_CAP + 1
      }::int) x`;
      return n;
    };
    let fuzzy = false;
    let n = await countOf(false);
    if (s.q && n < FUZZY_BELOW) {
      // Similar titles and names are few by nature, but the planner guesses half the table for `<%`: keep
      // it on the trigram indexes for the rest of this transaction.
      // One typo in a short word leaves about half its trigrams (`engneer`/`engineer`: 0.55), under the
      // default threshold of 0.6.
      await tx`select set_config('enable_seqscan', 'off', true),
                      set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY)}, true)`;
      const similar = await countOf(true);
      if (similar > n) [fuzzy, n] = [true, similar];
    }
    const count = { value: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
    if (sort === "match") {
      const cursor = s.cursor as MatchCursor;
      // The user's best-match table first (db/job_match_rank.ts `tableMatchPage`), else the pools.
      const page = await tableMatchPage(tx, userId, () => filters(fuzzy), s.limit, cursor) ??
        await matchPage(tx, profile, () => filters(fuzzy), s.limit, cursor, n <= COUNT_CAP);
      return { ...page, sort, count, fuzzy };
    }
    const cursor = s.cursor as DateCursor | undefined;
    const rows = await datePage(tx, () => filters(fuzzy), s.limit, cursor, n <= COUNT_CAP);
    const items = rows.page.map((r) => listItem(r, computeMatch(toMatchJob(r), profile)));
    const key = (r: SearchRow | undefined, dir: "next" | "prev"): DateCursor | undefined =>
      r && { sort: "date", dir, posted: r.posted_key, id: r.id };
    const backward = cursor?.dir === "prev";
    return {
      items,
      sort,
      count,
      fuzzy,
      next: backward || rows.more ? key(rows.page.at(-1), "next") : undefined,
      prev: (backward ? rows.more : cursor !== undefined) ? key(rows.page[0], "prev") : undefined,
    };
  });
}

type DateCursor = Extract<SearchCursor, { sort: "date" }>;
type MatchCursor = Extract<SearchCursor, { sort: "match" }> | undefined;

/**
 * A page newest first, after (or before) the cursor. The dated and the undated jobs are two index ranges
 * (undated last); the cursor is a row comparison `(posted_date, id) < (…)` on the dated range, which the
 * keyset index takes as its start. `few`: the search has at most `COUNT_CAP` matches, so they are read from
 * the GIN indexes and sorted (ordering on `posted_date + interval '0 seconds'`, which no index provides);
 * otherwise the keyset index is walked, the only plan left once bitmap and sequential scans are off.
 */
async function datePage(
  tx: Tx,
  filters: () => Frag,
  limit: number,
  cursor: DateCursor | undefined,
  few: boolean,
): Promise<{ page: SearchRow[]; more: boolean }> {
  const take = limit + 1;
  const back = cursor?.dir === "prev";
  if (!few) {
    await tx`select set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`;
  }
  const posted = few ? tx`j.posted_date + interval '0 seconds'` : tx`j.posted_date`;
  const dir = back ? tx`asc` : tx`desc`;
  // Dated range: after the cursor in the walking direction. Undated range: the same for ids.
  let dated = tx`j.posted_date is not null`;
  let undated = tx`j.posted_date is null`;
  if (cursor && cursor.posted !== null) {
    const key = tx`(${cursor.posted}::text::timestamptz, ${cursor.id}::int)`;
    dated = back
      ? tx`j.posted_date is not null and (j.posted_date, j.id) > ${key}`
      : tx`j.posted_date is not null and (j.posted_date, j.id) < ${key}`;
    if (!back) undated = tx`j.posted_date is null`;
    else undated = tx`false`;
  } else if (cursor) {
    dated = back ? tx`j.posted_date is not null` : tx`false`;
    undated = back
      ? tx`j.posted_date is null and j.id > ${cursor.id}::int`
      : tx`j.posted_date is null and j.id < ${cursor.id}::int`;
  }
  const ids = tx`
    select id from (
      (select j.id, j.posted_date from jobs j where ${filters()} and ${dated}
       order by ${posted} ${dir} nulls last, j.id ${dir} limit ${take}::int)
      union all
      (select j.id, j.posted_date from jobs j where ${filters()} and ${undated}
       order by j.id ${dir} limit ${take}::int)
    ) p order by p.posted_date ${dir} ${
    back ? tx`nulls first` : tx`nulls last`
  }, p.id ${dir} limit ${take}::int`;
  const rows = await rowsOf(tx, ids);
  if (!few) {
    await tx`select set_config('enable_bitmapscan', 'on', true), set_config('enable_seqscan', 'on', true)`;
  }
  const newest = (a: SearchRow, b: SearchRow) =>
    a.posted_key === b.posted_key
      ? b.id - a.id
      : a.posted_key === null
      ? 1
      : b.posted_key === null
      ? -1
      : (b.posted_date!.getTime() - a.posted_date!.getTime()) || (b.posted_key < a.posted_key ? -1 : 1);
  rows.sort(newest);
  const more = rows.length > limit;
  // Backward, the rows nearest the cursor are the page; the extra one is the furthest (oldest-first end).
  const page = back ? rows.slice(more ? 1 : 0) : rows.slice(0, limit);
  return { page, more };
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
export function getJobForUser(sql: Sql, userId: number, jobId: number): Promise<JobDetail | undefined> {
  return withUser(sql, userId, async (tx) => {
    const [row] = await tx<(MatchJobRow & Record<string, unknown>)[]>`
      select j.id, j.external_id, j.source, j.description, j.posted_date, j.expires_at,
             (j.expires_at is not null and j.expires_at <= now()) as expired,
             c.id as company_id, c.name as company_name, c.domain as company_domain, c.website as company_website,
             a.id as application_id, a.status as application_status, ${matchJobColumns(tx)}
      from jobs j join companies c on c.id = j.company_id
      left join applications a on a.job_id = j.id and a.user_id = ${userId}::int
      where j.id = ${jobId}::int and (j.owner_user_id is null or j.owner_user_id = ${userId}::int)`;
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
