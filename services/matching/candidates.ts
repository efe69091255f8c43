/**
 * Keeps each user's best-match table (db/match_candidates.ts, docs/matching.md "Best match first"): the top
 * `CANDIDATES_PER_USER` open jobs by the real score (core/match.ts), so `sort=match` pages through an index
 * instead of scoring jobs per request. The scoring moves here, off the request:
 * - `refreshCandidates`: one user's table from scratch, after their resume or preferences changed (the save
 *   queues it, db/match_candidates.ts `markCandidatesStale`);
 * - `mergeChangedJobs`: the jobs imported, edited or expired since the table last looked (`jobs.match_seq`),
 *   scored against the user's profile and merged into their top K;
 * - `refreshCandidateTables`: both, for every queued or behind user, within a time budget (run by the
 *   `refresh-match-scores` job).
 */
import type { Sql, Tx } from "@/db/client.ts";
import {
  behindCandidateUsers,
  candidateJobIds,
  type CandidateJobRow,
  type CandidateRow,
  candidateState,
  changedJobs,
  jobsToScore,
  latestJobSeq,
  lockCandidates,
  queueSignedInUsers,
  staleCandidateUsers,
  storedCandidates,
  writeCandidates,
} from "@/db/match_candidates.ts";
import { getMatchProfile, toMatchJob } from "@/db/match_scores.ts";
import { poolInputs, roleWordsQuery } from "@/core/match_pools.ts";
import { computeMatch, type MatchProfile } from "@/core/match.ts";
import { canonicalSkill } from "@/core/skills.ts";

/** Jobs kept per user: the first 50 pages of 20, the part of the ranking people page through. */
export const CANDIDATES_PER_USER = 1000;

/**
 * The highest score a job outside the scored sets can have (docs/matching.md): it names skills, none of them
 * the user's, so the skills part (35) counts at most 0.05 per company-stack skill the user has that the ad does
 * not name; with at most 3 of those, (83 + 35 × 0.8 × 0.15) / 118 < 74.5. The table is exact from 75 up.
 */
export const OUTSIDE_SETS_MAX = 74;

/** Rows read per round trip while scoring. */
const BATCH = 20_000;

type Key = { score: number; id: number };
const keyOf = (r: CandidateRow): Key => ({ score: r.score, id: r.job_id });
/** Best first: score, then the newer (higher) id. */
const best = (a: CandidateRow, b: CandidateRow) => b.score - a.score || b.job_id - a.job_id;
const atLeast = (a: Key, b: Key) => a.score > b.score || (a.score === b.score && a.id >= b.id);
const maxKey = (a: Key, b: Key) => atLeast(a, b) ? a : b;
/** The lowest key the bound above guarantees: every job scoring more than `OUTSIDE_SETS_MAX`. */
const BOUND: Key = { score: OUTSIDE_SETS_MAX + 1, id: 0 };

export interface RefreshResult {
  /** Rows the table holds now. */
  rows: number;
  /** Jobs scored. */
  scored: number;
  ms: number;
}

/** The parts of the profile that choose which jobs are scored. */
function sets(profile: MatchProfile) {
  return {
    skills: [...new Set(profile.skills.map(canonicalSkill))],
    roleWords: roleWordsQuery(profile.roles ?? []),
  };
}

/** Keeps the best `k` rows while scoring, sorting and trimming now and then (not per row). */
function topK(k: number) {
  let rows: CandidateRow[] = [];
  const trim = () => {
    rows.sort(best);
    if (rows.length > k) rows = rows.slice(0, k);
  };
  return {
    add(r: CandidateRow) {
      rows.push(r);
      if (rows.length >= 4 * k) trim();
    },
    done(): CandidateRow[] {
      trim();
      return rows;
    },
  };
}

function score(row: CandidateJobRow, profile: MatchProfile): CandidateRow {
  const m = computeMatch(toMatchJob(row), profile);
  return { job_id: row.id, score: m.score, category: m.category };
}

/**
 * How far down a table is exact: a full table (k rows) down to its last row, never below the bound of the
 * jobs it did not score; a profile without skills has no such bound (the table is then never read).
 */
function exactKey(rows: CandidateRow[], k: number, hasSkills: boolean): Key | null {
  if (!hasSkills) return null;
  return rows.length >= k ? maxKey(keyOf(rows[k - 1]), BOUND) : BOUND;
}

/** The full refresh inside the caller's locked transaction. */
async function rebuild(tx: Tx, userId: number, k: number, version: number | null): Promise<RefreshResult> {
  const started = performance.now();
  const profile = await getMatchProfile(tx, userId);
  const seq = await latestJobSeq(tx);
  const { skills, roleWords } = sets(profile);
  const top = topK(k);
  const ids = await candidateJobIds(tx, skills, roleWords);
  for (let i = 0; i < ids.length; i += BATCH) {
    for (const r of await jobsToScore(tx, ids.slice(i, i + BATCH))) top.add(score(r, profile));
  }
  const scored = ids.length;
  const ranked = top.done();
  const exact = exactKey(ranked, k, skills.length > 0);
  // Only the exact part is kept: below it the table would hold an arbitrary subset.
  const rows = exact ? ranked.filter((r) => atLeast(keyOf(r), exact)) : ranked;
  await writeCandidates(tx, userId, rows, { seen_seq: seq, exact, version, pool: poolInputs(profile) });
  return { rows: rows.length, scored, ms: performance.now() - started };
}

/**
 * Rebuilds one user's table from their current profile (owner pool). Scores the open jobs naming one of
 * their skills or none (for a profile without skills: the jobs whose title has a role word), keeps the best
 * `k`. A save that lands meanwhile leaves the table stale, for the next run.
 */
export function refreshCandidates(sql: Sql, userId: number, k = CANDIDATES_PER_USER): Promise<RefreshResult> {
  return sql.begin(async (tx) => {
    await lockCandidates(tx, userId);
    const state = await candidateState(tx, userId);
    return await rebuild(tx, userId, k, state?.version ?? null);
  }) as Promise<RefreshResult>;
}

/**
 * Merges the jobs changed since the user's table last looked: each is scored and kept when its key is in the
 * exact part, dropped otherwise (also when it expired or became private); then the table is cut back to `k`
 * rows, which raises its exact key. A table left with fewer than half of `k` open rows is rebuilt instead.
 * Nothing happens to a stale table (its rebuild is queued) or to a user without one.
 */
export function mergeChangedJobs(
  sql: Sql,
  userId: number,
  k = CANDIDATES_PER_USER,
): Promise<RefreshResult | null> {
  return sql.begin(async (tx) => {
    const started = performance.now();
    await lockCandidates(tx, userId);
    const state = await candidateState(tx, userId);
    if (!state || state.stale) return null;
    const profile = await getMatchProfile(tx, userId);
    const seq = await latestJobSeq(tx);
    const { skills, roleWords } = sets(profile);
    const stored = await storedCandidates(tx, userId);
    const kept = new Map(stored.map((r) => [r.job_id, r]));
    let scored = 0;
    for (let after = state.seen_seq;;) {
      const rows = await changedJobs(tx, userId, skills, roleWords, after, BATCH);
      for (const r of rows) {
        const s = score(r, profile);
        if (r.open && state.exact && atLeast(keyOf(s), state.exact)) kept.set(r.id, s);
        else kept.delete(r.id);
      }
      scored += rows.length;
      if (rows.length < BATCH) break;
      after = Number(rows[rows.length - 1].match_seq);
    }
    let rows = [...kept.values()].sort(best);
    let exact = state.exact;
    if (rows.length > k) {
      exact = exact && maxKey(exact, keyOf(rows[k - 1]));
      rows = rows.slice(0, k);
    }
    if (exact && rows.length < k / 2 && !atLeast(BOUND, exact)) {
      return await rebuild(tx, userId, k, state.version);
    }
    const pool = poolInputs(profile);
    await writeCandidates(tx, userId, rows, { seen_seq: seq, exact, version: state.version, pool }, stored);
    return { rows: rows.length, scored, ms: performance.now() - started };
  }) as Promise<RefreshResult | null>;
}

/**
 * The scheduled work: queues a first table for up to `backfill` signed-in users with a resume and none yet,
 * rebuilds the queued tables (the longest waiting first), then merges the job changes into every current
 * table that has not seen them, until done or `budgetMs` is spent (the rest waits for the next run; a table
 * not built yet is simply not read).
 */
export async function refreshCandidateTables(
  sql: Sql,
  options: { budgetMs?: number; k?: number; backfill?: number } = {},
): Promise<{ queued: number; rebuilt: number; merged: number; scored: number }> {
  const budget = options.budgetMs ?? 45 * 60_000;
  const started = performance.now();
  const left = () => performance.now() - started < budget;
  let rebuilt = 0, merged = 0, scored = 0;
  const queued = await queueSignedInUsers(sql, options.backfill ?? 500);
  while (left()) {
    const users = await staleCandidateUsers(sql, 50);
    if (users.length === 0) break;
    for (const userId of users) {
      if (!left()) break;
      scored += (await refreshCandidates(sql, userId, options.k)).scored;
      rebuilt++;
    }
  }
  const seq = await latestJobSeq(sql);
  while (left()) {
    const users = await behindCandidateUsers(sql, seq, 200);
    if (users.length === 0) break;
    for (const userId of users) {
      if (!left()) break;
      scored += (await mergeChangedJobs(sql, userId, options.k))?.scored ?? 0;
      merged++;
    }
  }
  return { queued, rebuilt, merged, scored };
}
