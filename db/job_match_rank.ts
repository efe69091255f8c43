/**
 * Best match first: the search's jobs ranked by the real match score (core/match.ts) without scoring every
 * open job. Candidates come through indexes, then are re-ranked in full:
 * - jobs naming any of the user's skills (`skills ?| …`, `idx_jobs_skills`), newest `MATCH_POOL`;
 * - jobs whose title has a word of the resume's roles (`search_tsv @@ 'backend:A | nurse:A'`, the title's
 *   weight, `idx_jobs_search_tsv`), newest `MATCH_POOL`;
 * - with neither (no skills, no roles): the newest `MATCH_POOL`.
 * A job outside both pools shares no skill and no title word with the resume: the score caps it at fair
 * (docs/matching.md), so it can only be missed among fair-or-lower jobs, or when a pool is full (more than
 * `MATCH_POOL` newer candidates). `bench/search.ts` measures that recall against the full ranking.
 * Pages are slices of the ranking after (or before) the cursor's (score, id), so every page costs the same.
 * A search that finds at most `COUNT_CAP` jobs skips the pools: all of them are ranked, exactly.
 *
 * Before the pools: the user's own table (`tableMatchPage`, services/matching/candidates.ts), when it is
 * current and the search has nothing it cannot apply.
 */
import type { Frag, Sql, Tx } from "./client.ts";
import { type JobListItem, listItem, rowsOf, type SearchRow } from "./job_rows.ts";
import { matchJobColumns, toMatchJob } from "./match_scores.ts";
import { candidateState } from "./match_candidates.ts";
import { type MatchCategory, matcherFor, type MatchProfile } from "@/core/match.ts";
import { type PoolInputs, poolInputs } from "@/core/match_pools.ts";
import type { SearchCursor } from "@/core/search_cursor.ts";

/** Candidates per pool: the bound on the work of one page (two pools, at most 10,000 scores at ~5 µs each). */
export const MATCH_POOL = 5000;

export { roleWordsQuery } from "@/core/match_pools.ts";

type Scored = { row: SearchRow; score: number; category: MatchCategory };

/**
 * The candidates' rows (statement only): the pools below, chosen by the pools' inputs (core/match_pools.ts:
 * the profile's, or the ones its last save kept), or every job the search finds when `all` (at most
 * `COUNT_CAP`, fewer than a pool holds). `all` may be a condition without columns decided in the statement
 * (the search's first round: the count its head left), and `gate` one under which anything is read.
 */
export function poolRows(
  tx: Sql | Tx,
  inputs: PoolInputs,
  filters: () => Frag,
  all: boolean | Frag = false,
  gate: Frag = tx`true`,
): Promise<SearchRow[]> {
  const { skills, roles } = inputs;
  const newest = (cond: Frag) =>
    tx`(select j.id from jobs j where ${gate} and ${cond} and ${filters()}
        order by j.posted_date desc nulls last, j.id desc limit ${MATCH_POOL}::int)`;
  const pools = [
    skills.length ? tx`j.skills ?| ${skills}::text[]` : null,
    roles ? tx`j.search_tsv @@ to_tsquery('english', ${roles}::text)` : null,
  ].filter((p) => p !== null);
  let ids: Frag;
  if (all === true || pools.length === 0) ids = newest(tx`true`);
  else if (all === false) {
    ids = pools.length === 1 ? newest(pools[0]) : tx`${newest(pools[0])} union ${newest(pools[1])}`;
  } else {
    // Decided in the statement: every job found, or the pools (one-time filters: only one side is read).
    ids = tx`${newest(all)}`;
    for (const pool of pools) ids = tx`${ids} union ${newest(tx`not ${all} and ${pool}`)}`;
  }
  return rowsOf(tx, tx`select id from (${ids}) u`);
}

/** Rows scored by `computeMatch` (the profile's per-profile parts prepared once), best first. */
export function rankRows(rows: SearchRow[], profile: MatchProfile): Scored[] {
  const score = matcherFor(profile);
  const scored = rows.map((row) => {
    const m = score(toMatchJob(row));
    return { row, score: m.score, category: m.category };
  });
  scored.sort((a, b) => b.score - a.score || b.row.id - a.row.id);
  return scored;
}

/**
 * The candidates of the search, scored, best first (score, then newer id first). `all`: the search finds
 * few jobs (at most `COUNT_CAP`, fewer than a pool holds), so every one of them is a candidate and the
 * ranking is exact; a search for "nurse" by an engineer lists every nurse job, not only those sharing a skill.
 */
export async function rankedCandidates(
  tx: Tx,
  profile: MatchProfile,
  filters: () => Frag,
  all = false,
): Promise<Scored[]> {
  return rankRows(await poolRows(tx, poolInputs(profile), filters, all), profile);
}

/** Whether `s` comes before the cursor's row in the best-first order. */
const before = (s: Scored, c: { score: number; id: number }) =>
  s.score > c.score || (s.score === c.score && s.row.id > c.id);

/** One page of the best-first ranking, after or before the cursor. */
export async function matchPage(
  tx: Tx,
  profile: MatchProfile,
  filters: () => Frag,
  limit: number,
  cursor: Extract<SearchCursor, { sort: "match" }> | undefined,
  all: boolean,
): Promise<{ items: JobListItem[]; next?: SearchCursor; prev?: SearchCursor }> {
  return matchPageOf(await rankedCandidates(tx, profile, filters, all), limit, cursor);
}

/** One page of a best-first ranking (`rankRows`), after or before the cursor. */
export function matchPageOf(
  ranked: Scored[],
  limit: number,
  cursor: Extract<SearchCursor, { sort: "match" }> | undefined,
): { items: JobListItem[]; next?: SearchCursor; prev?: SearchCursor } {
  let start = 0;
  let stop = Math.min(limit, ranked.length);
  if (cursor) {
    // The rows before the cursor's row form a prefix of the ranking (the row itself need not exist any more).
    let edge = ranked.findIndex((s) => !before(s, cursor));
    if (edge < 0) edge = ranked.length;
    if (cursor.dir === "next") {
      start = edge < ranked.length && ranked[edge].row.id === cursor.id && ranked[edge].score === cursor.score
        ? edge + 1
        : edge;
      stop = Math.min(start + limit, ranked.length);
    } else {
      stop = edge;
      start = Math.max(0, stop - limit);
    }
  }
  const page = ranked.slice(start, stop);
  const key = (s: Scored | undefined, dir: "next" | "prev") =>
    s && { sort: "match" as const, dir, score: s.score, id: s.row.id };
  return {
    items: page.map((s) => listItem(s.row, { score: s.score, category: s.category, reasons: [] })),
    next: stop < ranked.length ? key(page.at(-1), "next") : undefined,
    prev: start > 0 ? key(page[0], "prev") : undefined,
  };
}

type MatchCursor = Extract<SearchCursor, { sort: "match" }>;

/** A row of the table's page: the job's list row with the table's score. */
export type TableRow = SearchRow & { job_id: number; score: number; category: string };

/**
 * The rows of one page of the user's table (statement only), best first, after or before the cursor,
 * within the exact part (keys at least the state's exact key, read in the statement: none when the table is
 * missing or stale), keeping the jobs that pass `where` (the search's own conditions on `jobs j`), with
 * their list columns. `limit + 1` rows, so the caller knows whether the exact part holds a full page and
 * whether there is more. `gate`: a condition without columns under which the page is read at all.
 */
export function tablePageRows(
  tx: Sql | Tx,
  userId: number,
  where: Frag,
  limit: number,
  cursor: MatchCursor | undefined,
  gate: Frag,
): Promise<TableRow[]> {
  const back = cursor?.dir === "prev";
  const edge = !cursor
    ? tx``
    : back
    ? tx`and (mc.score, mc.job_id) > (${cursor.score}::int, ${cursor.id}::int)`
    : tx`and (mc.score, mc.job_id) < (${cursor.score}::int, ${cursor.id}::int)`;
  const exact = (column: Frag) =>
    tx`(select ${column} from match_candidate_state st where st.user_id = ${userId}::int and not st.stale)`;
  return tx<TableRow[]>`
    select mc.job_id, mc.score, mc.category, j.id, j.posted_date, j.posted_date::text as posted_key,
           c.id as company_id, c.name as company_name, c.domain as company_domain, ${matchJobColumns(tx)}
    from match_candidates mc join jobs j on j.id = mc.job_id join companies c on c.id = j.company_id
    where ${gate} and mc.user_id = ${userId}::int
      and (mc.score, mc.job_id) >= (${exact(tx`st.exact_score`)}, ${exact(tx`st.exact_id`)}) ${edge}
      and ${where}
    order by ${back ? tx`mc.score, mc.job_id` : tx`mc.score desc, mc.job_id desc`}
    limit ${limit + 1}::int`;
}

/**
 * The page of `tablePageRows`' rows, or undefined when the pools must answer: the table is not `usable` (no
 * table, a stale one, one that is never exact, a cursor going back from below its exact part), or, going
 * forward, its exact part does not hold this whole page and one row more.
 */
export function finishTablePage(
  rows: TableRow[],
  usable: boolean,
  limit: number,
  cursor: MatchCursor | undefined,
): { items: JobListItem[]; next?: SearchCursor; prev?: SearchCursor } | undefined {
  if (!usable) return undefined;
  const back = cursor?.dir === "prev";
  if (!back && rows.length <= limit) return undefined;
  const more = rows.length > limit;
  const page = back ? rows.slice(0, limit).reverse() : rows.slice(0, limit);
  const items = page.map((r) =>
    listItem(r, { score: r.score, category: r.category as MatchCategory, reasons: [] })
  );
  const key = (r: TableRow | undefined, dir: "next" | "prev") =>
    r && { sort: "match" as const, dir, score: r.score, id: r.job_id };
  return {
    items,
    next: back || more ? key(page.at(-1), "next") : undefined,
    prev: (back ? more : cursor !== undefined) ? key(page[0], "prev") : undefined,
  };
}

/**
 * One page of best match first from the user's table (migration 0095), or undefined when the table cannot
 * answer it and the pools must: no table, a stale one (the profile changed since), one that is never exact
 * (no skills), or a page reaching below the table's exact part (the pools rank what lies there). The search's
 * conditions (open, public, hidden companies, text, filters) are applied to the table's jobs through a join:
 * every job whose key is in the exact part is in the table, so the jobs passing them there are exactly the
 * top of the search's own ranking. A rare filter finds less than a page there and goes to the pools (which
 * rank a search of at most `COUNT_CAP` jobs whole). The scores are the table's, computed by its refresh with
 * the same function. Statement by statement; `searchJobs` sends the same page pipelined.
 */
export async function tableMatchPage(
  tx: Tx,
  userId: number,
  filters: () => Frag,
  limit: number,
  cursor: MatchCursor | undefined,
): Promise<{ items: JobListItem[]; next?: SearchCursor; prev?: SearchCursor } | undefined> {
  const state = await candidateState(tx, userId);
  if (!state || state.stale || !state.exact) return undefined;
  const exact = state.exact;
  // Going back from a row below the exact part: what lies between is not all in the table.
  const below = cursor?.dir === "prev" &&
    (cursor.score < exact.score || (cursor.score === exact.score && cursor.id < exact.id));
  if (below) return undefined;
  const rows = await tablePageRows(tx, userId, filters(), limit, cursor, tx`true`);
  return finishTablePage(rows, true, limit, cursor);
}
