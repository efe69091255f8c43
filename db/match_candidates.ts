/**
 * The per-user best-match tables (migration 0095, docs/matching.md "Best match first"): `match_candidates`
 * holds a user's top jobs by the real score, `match_candidate_state` says whether they may be read and how far
 * down they are exact. The scoring is services/matching/candidates.ts; here are its queries and the read of
 * one page. Writes go through the owner pool (the user may only mark their table stale).
 */
import type { Frag, Sql, Tx } from "./client.ts";
import { getMatchProfile, matchJobColumns, type MatchJobRow } from "./match_scores.ts";
import { type PoolInputs, poolInputs } from "@/core/match_pools.ts";

/** A user's table state, as the read path needs it. */
export interface CandidateState {
  stale: boolean;
  /** Every job with `match_seq` at most this was considered by the table. */
  seen_seq: number;
  /** The table is exact for every key (score, id) at least this; null: never exact (no skills). */
  exact: { score: number; id: number } | null;
  rows: number;
  queued_at: Date;
  /** The number of saves so far: a refresh that started at another one leaves the table stale. */
  version: number;
}

type StateRow = {
  stale: boolean;
  seen_seq: string;
  exact_score: number | null;
  exact_id: number | null;
  rows: number;
  queued_at: Date;
  version: number;
};

const toState = (r: StateRow): CandidateState => ({
  stale: r.stale,
  seen_seq: Number(r.seen_seq),
  exact: r.exact_score === null ? null : { score: r.exact_score, id: r.exact_id ?? 0 },
  rows: r.rows,
  queued_at: r.queued_at,
  version: r.version,
});

/**
 * Queues a full refresh of the user's table: called in the transaction that saves the resume or the
 * preferences, so from its commit on `sort=match` no longer reads a table made for the old profile (it uses
 * the candidate pools until the refresh is done). With the pools' inputs of the new profile: one profile read
 * and one upsert.
 */
export async function markCandidatesStale(tx: Tx, userId: number): Promise<void> {
  // The pools' inputs of the profile just saved (migration 0098): the search reads them instead of the
  // profile to send the pools' statement in its first round trip.
  const pool = poolInputs(await getMatchProfile(tx, userId));
  await tx`
    insert into match_candidate_state (user_id, pool_skills, pool_roles)
    values (${userId}::int, ${pool.skills}::text[], ${pool.roles}::text)
    on conflict (user_id) do update
      set stale = true, queued_at = now(), version = match_candidate_state.version + 1,
          pool_skills = excluded.pool_skills, pool_roles = excluded.pool_roles`;
}

/** The user's table state, or undefined when they have none (RLS transaction or owner pool). */
export async function candidateState(tx: Tx | Sql, userId: number): Promise<CandidateState | undefined> {
  const [row] = await tx<StateRow[]>`
    select stale, seen_seq::text, exact_score, exact_id, rows, queued_at, version
    from match_candidate_state where user_id = ${userId}::int`;
  return row && toState(row);
}

/** Users whose table is queued for a full refresh, the longest waiting first. */
export async function staleCandidateUsers(sql: Sql, limit: number): Promise<number[]> {
  const rows = await sql<{ user_id: number }[]>`
    select user_id from match_candidate_state where stale order by queued_at limit ${limit}::int`;
  return rows.map((r) => r.user_id);
}

/**
 * Queues a first table for up to `limit` signed-in users (a live session) who have resume skills and no table
 * yet: how the tables reach the users who had a resume before they existed, active users first. Answers how
 * many were queued.
 */
export async function queueSignedInUsers(sql: Sql, limit: number): Promise<number> {
  const rows = await sql`
    insert into match_candidate_state (user_id)
    select r.user_id from resumes r
    where r.skills is not null and r.skills <> '[]'::jsonb
      and not exists (select 1 from match_candidate_state m where m.user_id = r.user_id)
      and exists (select 1 from sessions s where s.user_id = r.user_id and s.revoked_at is null
                  and s.expires_at > now())
    limit ${limit}::int
    on conflict (user_id) do nothing
    returning user_id`;
  return rows.length;
}

/** Users with a current table that has not seen every job change up to `seq`. */
export async function behindCandidateUsers(sql: Sql, seq: number, limit: number): Promise<number[]> {
  const rows = await sql<{ user_id: number }[]>`
    select user_id from match_candidate_state where not stale and seen_seq < ${seq}::bigint
    order by seen_seq, user_id limit ${limit}::int`;
  return rows.map((r) => r.user_id);
}

/**
 * The newest job change number the tables can take as seen. Read before the jobs are read, so a job changed
 * meanwhile is scored again by the next merge (the merge's upsert makes that harmless).
 */
export async function latestJobSeq(sql: Sql | Tx): Promise<number> {
  const [row] = await sql<{ seq: string }[]>`select coalesce(max(match_seq), 0)::text as seq from jobs`;
  return Number(row.seq);
}

/** A job row to score: `matchJobColumns` with its id. */
export type CandidateJobRow = MatchJobRow & { id: number };

/**
 * The ids of the jobs a full refresh scores, ascending: open public jobs naming one of `skills`
 * (`idx_jobs_skills`) or naming none (`idx_jobs_no_skills`: the score then reads their text and the company's
 * stack), plus, for a profile without skills, the jobs whose title has one of the role words
 * (`idx_jobs_search_tsv`). What this leaves out is bounded in docs/matching.md. Ids only: one pass over the
 * indexes, the rows are then read in batches (`jobsToScore`).
 */
export async function candidateJobIds(
  sql: Sql | Tx,
  skills: readonly string[],
  roleWords: string | null,
): Promise<number[]> {
  const sets: Frag[] = [sql`j.skills is null or j.skills = '[]'::jsonb`];
  if (skills.length) sets.push(sql`j.skills ?| ${[...skills]}::text[]`);
  else if (roleWords) sets.push(sql`j.search_tsv @@ to_tsquery('english', ${roleWords}::text)`);
  const any = sets.reduce((a, b) => sql`${a} or ${b}`);
  const rows = await sql<{ id: number }[]>`
    select j.id from jobs j
    where (${any}) and (j.expires_at is null or j.expires_at > now()) and j.owner_user_id is null
    order by j.id`;
  return rows.map((r) => r.id);
}

/** The rows of these jobs with the columns the score reads. */
export function jobsToScore(sql: Sql | Tx, ids: readonly number[]): Promise<CandidateJobRow[]> {
  return sql<CandidateJobRow[]>`
    select j.id, ${matchJobColumns(sql)}
    from jobs j join companies c on c.id = j.company_id
    where j.id = any(${[...ids]}::int[])`;
}

/**
 * Jobs changed (inserted, edited, expired) since `seq` that the merge must look at, in batches after
 * `afterSeq`: the same sets as `candidateJobs` plus the jobs already in the user's table, open or not
 * (`open` false: the merge drops them).
 */
export function changedJobs(
  sql: Sql | Tx,
  userId: number,
  skills: readonly string[],
  roleWords: string | null,
  afterSeq: number,
  limit: number,
): Promise<(CandidateJobRow & { match_seq: string; open: boolean })[]> {
  const inSets = [sql`j.skills is null or j.skills = '[]'::jsonb`];
  if (skills.length) inSets.push(sql`j.skills ?| ${[...skills]}::text[]`);
  else if (roleWords) inSets.push(sql`j.search_tsv @@ to_tsquery('english', ${roleWords}::text)`);
  inSets.push(
    sql`exists (select 1 from match_candidates mc where mc.user_id = ${userId}::int and mc.job_id = j.id)`,
  );
  const any = inSets.reduce((a, b) => sql`${a} or ${b}`);
  return sql`
    select j.id, j.match_seq::text as match_seq, ${matchJobColumns(sql)},
           ((j.expires_at is null or j.expires_at > now()) and j.owner_user_id is null) as open
    from jobs j join companies c on c.id = j.company_id
    where j.match_seq > ${afterSeq}::bigint and (${any})
    order by j.match_seq limit ${limit}::int`;
}

/** One scored job of a table. */
export interface CandidateRow {
  job_id: number;
  score: number;
  category: string;
}

/** The user's stored rows whose jobs are still open and public (owner pool), best first. */
export function storedCandidates(sql: Sql | Tx, userId: number): Promise<CandidateRow[]> {
  return sql<CandidateRow[]>`
    select mc.job_id, mc.score, mc.category
    from match_candidates mc join jobs j on j.id = mc.job_id
    where mc.user_id = ${userId}::int and (j.expires_at is null or j.expires_at > now())
      and j.owner_user_id is null
    order by mc.score desc, mc.job_id desc`;
}

/**
 * Makes the user's table hold exactly `rows` and marks it current, unless the profile was saved again since
 * the refresh read `version` (the table stays stale for the next refresh). Without `previous` the rows are
 * replaced; with it (what the table held, as `storedCandidates` read it) only the difference is written, which
 * is what keeps a merge of a few new jobs cheap. Owner pool, in the caller's transaction.
 */
export async function writeCandidates(
  tx: Tx,
  userId: number,
  rows: readonly CandidateRow[],
  state: {
    seen_seq: number;
    exact: { score: number; id: number } | null;
    version: number | null;
    /** The pools' inputs of the profile the refresh read (kept unless a save came while it ran). */
    pool: PoolInputs;
  },
  previous?: readonly CandidateRow[],
): Promise<void> {
  let changed = rows;
  if (previous) {
    const before = new Map(previous.map((r) => [r.job_id, r]));
    changed = rows.filter((r) => {
      const was = before.get(r.job_id);
      return !was || was.score !== r.score || was.category !== r.category;
    });
    await tx`
      delete from match_candidates
      where user_id = ${userId}::int and job_id <> all(${rows.map((r) => r.job_id)}::int[])`;
  } else {
    await tx`delete from match_candidates where user_id = ${userId}::int`;
  }
  for (let i = 0; i < changed.length; i += 5000) {
    const batch = changed.slice(i, i + 5000);
    await tx`
      insert into match_candidates (user_id, job_id, score, category)
      select ${userId}::int, x.job_id, x.score, x.category
      from unnest(${batch.map((r) => r.job_id)}::int[], ${batch.map((r) => r.score)}::int[],
                  ${batch.map((r) => r.category)}::text[]) as x(job_id, score, category)
      on conflict (user_id, job_id) do update set score = excluded.score, category = excluded.category`;
  }
  await tx`
    insert into match_candidate_state as s
      (user_id, stale, seen_seq, exact_score, exact_id, rows, refreshed_at, pool_skills, pool_roles)
    values (${userId}::int, false, ${state.seen_seq}::bigint, ${state.exact?.score ?? null}::int,
            ${state.exact?.id ?? null}::int, ${rows.length}::int, now(), ${state.pool.skills}::text[],
            ${state.pool.roles}::text)
    on conflict (user_id) do update set
      stale = s.version is distinct from ${state.version}::int,
      pool_skills = case when s.version is not distinct from ${state.version}::int
                         then excluded.pool_skills else s.pool_skills end,
      pool_roles = case when s.version is not distinct from ${state.version}::int
                        then excluded.pool_roles else s.pool_roles end,
      seen_seq = excluded.seen_seq, exact_score = excluded.exact_score, exact_id = excluded.exact_id,
      rows = excluded.rows, refreshed_at = excluded.refreshed_at`;
}

/** Takes the user's refresh lock for the transaction: one refresh of a table at a time. */
export async function lockCandidates(tx: Tx, userId: number): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtext('match_candidates'), ${userId}::int)`;
}
