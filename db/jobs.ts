/**
 * Jobs for the job seeker: the search and the job page, under the user's row-level security transaction
 * (which also reads their profile for the match scores). The import is db/job_imports.ts.
 */
import { type Frag, pipelineAsUser, type Sql, type Tx, withUser } from "./client.ts";
import {
  getMatchProfile,
  matchJobColumns,
  type MatchJobRow,
  matchProfileColumns,
  type MatchProfileRow,
  type SearchProfile,
  toMatchJob,
  toMatchProfile,
} from "./match_scores.ts";
import { type JobListItem, listItem, rowsOf, type SearchRow } from "./job_rows.ts";
import {
  finishTablePage,
  matchPageOf,
  poolRows,
  rankRows,
  tablePageRows,
  type TableRow,
} from "./job_match_rank.ts";
import { computeMatch, type Match, matcherFor } from "@/core/match.ts";
import { type PoolInputs, poolInputs } from "@/core/match_pools.ts";
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
  /**
   * The best-match pools' inputs the user's last profile save kept (migration 0098), as the session lookup
   * read them (web/auth.ts): with them the pools ride in the search's first round trip, planned with their
   * values; without, a second round reads them with the profile when the user's table cannot answer.
   */
  pool?: PoolInputs;
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
 * One round trip (`pipelineAsUser`): the profile, the count and the table's state are one statement that
 * also leaves the resolved sort and the count in the transaction (`rf.search_sort`, `rf.search_n`); the
 * pages of every way the search may go follow in the same batch, each gated on those settings (a one-time
 * filter: a page whose gate is false is planned but reads nothing), the best-match pools too when the caller
 * passes their inputs (`pool`, kept by the profile's last save and read with the session). A second round
 * trip only when the words find nothing (the similar-text search), or when the best-match table cannot
 * answer and no inputs were passed (the pools are then read with the profile the first round read).
 *
 * `sql` is the pool to read from: the search tolerates a little staleness, so callers pass a replica's
 * when one is fresh enough (`app.replicas.readSql`, db/replicas.ts), else the primary.
 */
export async function searchJobs(sql: Sql, userId: number, s: JobSearch): Promise<JobPage> {
  if (s.sort && s.cursor && s.cursor.sort !== s.sort) throw badCursor();
  let round = await searchRound(sql, userId, s, false);
  let fuzzy = false;
  if (s.q && round.n < FUZZY_BELOW) {
    // Similar titles and company names, when the words found (almost) nothing.
    const similar = await searchRound(sql, userId, s, true);
    if (similar.n > round.n) [round, fuzzy] = [similar, true];
  }
  const { profile, sort, n } = round;
  if (s.cursor && s.cursor.sort !== sort) throw badCursor();
  const count = { value: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
  if (sort === "match") {
    const cursor = s.cursor as MatchCursor;
    // The user's best-match table first (db/job_match_rank.ts `tableMatchPage`), else the pools.
    const page = finishTablePage(round.table, round.tableUsable, s.limit, cursor) ??
      (round.pools
        ? matchPageOf(rankRows(round.pools, profile), s.limit, cursor)
        : await poolsPage(sql, userId, profile, s, fuzzy, cursor, n <= COUNT_CAP));
    return { ...page, sort, count, fuzzy };
  }
  const cursor = s.cursor as DateCursor | undefined;
  const rows = finishDatePage(round.date, s.limit, cursor);
  const score = matcherFor(profile);
  const items = rows.page.map((r) => listItem(r, score(toMatchJob(r))));
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
}

const badCursor = () =>
  new HttpError(422, "invalid values", { fields: { cursor: "is not a cursor of this search" } });

type DateCursor = Extract<SearchCursor, { sort: "date" }>;
type MatchCursor = Extract<SearchCursor, { sort: "match" }> | undefined;

/** What one pipelined round of the search answers. */
interface SearchRound {
  profile: SearchProfile;
  sort: SearchSort;
  /** Jobs found, counted up to `COUNT_CAP + 1`. */
  n: number;
  /** The user's best-match table may answer (current, exact somewhere, the cursor not below its exact part). */
  tableUsable: boolean;
  /** Its page (`limit + 1` rows), when the sort is best match and the table is usable. */
  table: TableRow[];
  /**
   * The pools' rows, read in this round with the inputs the caller passed (`JobSearch.pool`) when the table
   * cannot answer; undefined when they were not (the caller then reads them with the profile).
   */
  pools?: SearchRow[];
  /** The newest-first rows (`limit + 1`, unsorted), when the sort is newest first. */
  date: SearchRow[];
}

/** `max_parallel_workers_per_gather` for the pools: PostgreSQL's default. */
const POOL_WORKERS = "2";

/** The settings every search statement runs under; `fuzzy`: those of the similar-text search too. */
function searchSettings(fuzzy: boolean): Record<string, string> {
  // Custom plans: the filters' values decide between very different plans (a rare word, a common one).
  // No parallel workers: every statement reads a bounded number of rows, and a page whose gate is false
  // would still start its workers (the one-time filter sits below the Gather) only for them to read nothing.
  // The similar-text search: similar titles and names are few by nature, but the planner guesses half the
  // table for `<%`, so it is kept on the trigram indexes; one typo in a short word leaves about half its
  // trigrams (`engneer`/`engineer`: 0.55), under pg_trgm's default threshold of 0.6.
  return fuzzy
    ? {
      plan_cache_mode: "force_custom_plan",
      max_parallel_workers_per_gather: "0",
      enable_seqscan: "off",
      "pg_trgm.word_similarity_threshold": String(WORD_SIMILARITY),
    }
    : { plan_cache_mode: "force_custom_plan", max_parallel_workers_per_gather: "0" };
}

/**
 * The search's conditions on `jobs j`: open, public, not in the user's hidden companies (read here, under
 * row-level security, from their preferences), the text and the filters. A fresh fragment per call.
 */
export function searchFilters(tx: Sql | Tx, userId: number, s: JobSearch, fuzzy: boolean): Frag {
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
  const words = !s.q ? tx`` : fuzzy
    ? tx`and (j.search_tsv @@ ${tsq()} or ${s.q}::text <% j.title
              or j.company_id = any(array(select c2.id from companies c2 where ${s.q}::text <% c2.name)))`
    : tx`and j.search_tsv @@ ${tsq()}`;
  return tx`(j.expires_at is null or j.expires_at > now()) and j.owner_user_id is null
    and j.company_id <> all(${hiddenCompanies(tx, userId)})
    ${words}
    ${s.location ? tx`and j.location ilike ${like(s.location)}::text` : tx``}
    ${s.remote === undefined ? tx`` : tx`and j.remote = ${s.remote}::boolean`}
    ${s.comp_min === undefined ? tx`` : tx`and coalesce(j.comp_max, j.comp_min) >= ${s.comp_min}::int`}
    ${s.posted_after ? tx`and j.posted_date >= ${s.posted_after}::timestamptz` : tx``}
    ${s.company_id === undefined ? tx`` : tx`and j.company_id = ${s.company_id}::int`}`;
}

/**
 * The user's hidden companies as `int[]` (the whole numbers of `job_preferences.hidden_companies`, as
 * `toMatchProfile` keeps them; empty without preferences). An uncorrelated subquery: computed once per
 * statement.
 */
function hiddenCompanies(tx: Sql | Tx, userId: number): Frag {
  return tx`coalesce((
    select array(select (e::text)::numeric::int from jsonb_array_elements(p.hidden_companies) e
                 where jsonb_typeof(e) = 'number' and (e::text)::numeric % 1 = 0
                   and (e::text)::numeric between -2147483648 and 2147483647)
    from job_preferences p where p.user_id = ${userId}::int and jsonb_typeof(p.hidden_companies) = 'array'
  ), '{}'::int[])`;
}

/** True when a JSON array holds a string (what `toMatchProfile` counts for `has_resume`). */
const hasStrings = (tx: Sql | Tx, column: Frag) =>
  tx`coalesce(jsonb_typeof(${column}) = 'array'
       and exists(select 1 from jsonb_array_elements(${column}) e where jsonb_typeof(e) = 'string'), false)`;

type HeadRow = MatchProfileRow & {
  n: number;
  sort: SearchSort;
  table_usable: boolean;
};

/**
 * One round: the head (profile, count, sort, table state) and the pages it may need, pipelined in one
 * transaction. Pages of a sort the caller fixed are the only ones sent; without one, both sorts' pages are
 * sent and the head's `rf.search_sort` (best match when the user has a resume) gates them.
 */
async function searchRound(sql: Sql, userId: number, s: JobSearch, fuzzy: boolean): Promise<SearchRound> {
  const wanted = s.sort ?? s.cursor?.sort;
  const sendMatch = wanted !== "date";
  const sendDate = wanted !== "match";
  const matchCursor = s.cursor?.sort === "match" ? s.cursor : undefined;
  const dateCursor = s.cursor?.sort === "date" ? s.cursor : undefined;
  const gate = (sort: SearchSort, n?: "few" | "many") => (tx: Sql) =>
    tx`(current_setting('rf.search_sort', true) = ${sort}::text ${
      n === undefined
        ? tx``
        : n === "few"
        ? tx`and current_setting('rf.search_n', true)::int <= ${COUNT_CAP}::int`
        : tx`and current_setting('rf.search_n', true)::int > ${COUNT_CAP}::int`
    })`;
  const back = matchCursor?.dir === "prev";
  const sent: string[] = [];
  const results = await pipelineAsUser(sql, userId, (tx) => {
    const filters = () => searchFilters(tx, userId, s, fuzzy);
    // Back from a row below the table's exact part: what lies between is not all in the table (the pools).
    const backBelow = back
      ? tx`or (${matchCursor.score}::int, ${matchCursor.id}::int) < (st.exact_score, st.exact_id)`
      : tx``;
    const head = tx<HeadRow[]>`
      with prof as (
        select ${matchProfileColumns(tx)},
               ${hasStrings(tx, tx`r.skills`)} or ${hasStrings(tx, tx`r.roles`)} as has_resume
        from (select ${userId}::int as user_id) me
        left join resumes r on r.user_id = me.user_id
        left join job_preferences p on p.user_id = me.user_id
      ), counted as (
        select count(*)::int as n from (select 1 from jobs j where ${filters()} limit ${COUNT_CAP + 1}::int) x
      ), decided as (
        select coalesce(${
      s.sort ?? null
    }::text, case when prof.has_resume then 'match' else 'date' end) as sort,
               counted.n
        from prof, counted
      ), state as (
        select coalesce(not st.stale and st.exact_score is not null and not (false ${backBelow}), false)
                 as table_usable
        from (select 1) one left join match_candidate_state st on st.user_id = ${userId}::int
      )
      select prof.*, decided.n, decided.sort, state.table_usable,
             set_config('rf.search_sort', decided.sort, true), set_config('rf.search_n', decided.n::text, true),
             set_config('rf.search_table', case when state.table_usable then 'on' else 'off' end, true)
      from prof cross join decided cross join state`;
    const statements: Promise<unknown>[] = [];
    const send = (name: string, q: Promise<unknown>) => {
      sent.push(name);
      statements.push(q);
    };
    send("head", head);
    // The pages newest first (the few page first: it must plan before the pools' workers are allowed).
    if (sendDate) {
      send("few", datePageRows(tx, filters, s.limit, dateCursor, true, gate("date", "few")(tx)));
    }
    if (sendMatch) {
      // The table's page, and whether the pools must rank instead (`rf.search_pools`): the same rule as
      // `finishTablePage`. The pools may then use parallel workers (they read thousands of rows).
      const page = tablePageRows(tx, userId, filters(), s.limit, matchCursor, gate("match")(tx));
      const answers = back ? tx`true` : tx`c.n > ${s.limit}::int`;
      send(
        "table",
        tx<(TableRow & { pools_ran: string })[]>`
          with page as (${page as unknown as Frag}), decided as materialized (
            select set_config('rf.search_pools', x.pools::text, true) as pools_ran,
                   set_config('max_parallel_workers_per_gather',
                              case when x.pools then ${POOL_WORKERS}::text else '0' end, true)
            from (select current_setting('rf.search_sort', true) = 'match'
                         and ${s.pool !== undefined}::boolean
                         and not (current_setting('rf.search_table', true) = 'on' and ${answers}) as pools
                  from (select count(*)::int as n from page) c) x
          )
          select decided.pools_ran, page.* from decided left join page on true
          order by ${back ? tx`page.score, page.job_id` : tx`page.score desc, page.job_id desc`}`,
      );
      if (s.pool) {
        const all = tx`current_setting('rf.search_n', true)::int <= ${COUNT_CAP}::int`;
        send(
          "pools",
          poolRows(tx, s.pool, filters, all, tx`current_setting('rf.search_pools', true) = 'true'`),
        );
      }
    }
    if (sendDate) {
      // The walk: the keyset index newest first, the only plan left once bitmap and sequential scans are off.
      send(
        "off",
        tx`select set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true),
                  set_config('max_parallel_workers_per_gather', '0', true)`,
      );
      send("many", datePageRows(tx, filters, s.limit, dateCursor, false, gate("date", "many")(tx)));
    }
    return statements;
  }, searchSettings(fuzzy));
  const got = <T>(name: string): T[] => (sent.includes(name) ? results[sent.indexOf(name)] as T[] : []);
  const [head] = got<HeadRow>("head");
  const table = got<TableRow & { pools_ran: string | null }>("table");
  const poolsRan = table[0]?.pools_ran === "true";
  return {
    profile: toMatchProfile(head),
    sort: head.sort,
    n: head.n,
    tableUsable: head.sort === "match" && head.table_usable,
    table: table.filter((r) => r.job_id !== null),
    pools: poolsRan ? got<SearchRow>("pools") : undefined,
    date: [...got<SearchRow>("few"), ...got<SearchRow>("many")],
  };
}

/**
 * Best match first from the candidate pools (db/job_match_rank.ts), when the user's table cannot answer and
 * the first round could not read them (no pool inputs kept for the user yet): one more pipelined round with
 * the profile the first one read (the pools are chosen by its skills and roles), ranked here.
 */
async function poolsPage(
  sql: Sql,
  userId: number,
  profile: SearchProfile,
  s: JobSearch,
  fuzzy: boolean,
  cursor: MatchCursor,
  all: boolean,
): Promise<{ items: JobListItem[]; next?: SearchCursor; prev?: SearchCursor }> {
  const [rows] = await pipelineAsUser(
    sql,
    userId,
    (tx) => [poolRows(tx, poolInputs(profile), () => searchFilters(tx, userId, s, fuzzy), all)] as const,
    // Parallel workers allowed here: the pools read thousands of rows (one client waits 2-3x longer without).
    { ...searchSettings(fuzzy), max_parallel_workers_per_gather: POOL_WORKERS },
  );
  return matchPageOf(rankRows(rows, profile), s.limit, cursor);
}

/**
 * A page newest first, after (or before) the cursor: its `limit + 1` rows, unsorted (`finishDatePage` sorts).
 * The dated and the undated jobs are two index ranges (undated last); the cursor is a row comparison
 * `(posted_date, id) < (…)` on the dated range, which the keyset index takes as its start. `few`: the search
 * has at most `COUNT_CAP` matches, so they are read from the GIN indexes and sorted (ordering on
 * `posted_date + interval '0 seconds'`, which no index provides); otherwise the keyset index is walked
 * (the caller turns bitmap and sequential scans off first). `gate`: a condition without columns (a one-time
 * filter) under which the page is read at all.
 */
export function datePageRows(
  tx: Sql | Tx,
  filters: () => Frag,
  limit: number,
  cursor: DateCursor | undefined,
  few: boolean,
  gate: Frag,
): Promise<SearchRow[]> {
  const take = limit + 1;
  const back = cursor?.dir === "prev";
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
      (select j.id, j.posted_date from jobs j where ${gate} and ${filters()} and ${dated}
       order by ${posted} ${dir} nulls last, j.id ${dir} limit ${take}::int)
      union all
      (select j.id, j.posted_date from jobs j where ${gate} and ${filters()} and ${undated}
       order by j.id ${dir} limit ${take}::int)
    ) p order by p.posted_date ${dir} ${
    back ? tx`nulls first` : tx`nulls last`
  }, p.id ${dir} limit ${take}::int`;
  return rowsOf(tx, ids);
}

/** The page of `datePageRows`' rows: sorted newest first, `more` when there is a row beyond it. */
export function finishDatePage(
  rows: SearchRow[],
  limit: number,
  cursor: DateCursor | undefined,
): { page: SearchRow[]; more: boolean } {
  const back = cursor?.dir === "prev";
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
