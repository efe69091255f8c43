/**
 * Match inputs and stored scores: the user's profile as core/match.ts wants it, the job columns it reads,
 * the re-scoring of a user's applications when their resume or preferences change, and the refresh of the
 * seed's `match_scores` materialized view.
 */
import type { Sql, Tx } from "./client.ts";
import { computeMatch, EMPTY_PROFILE, type MatchJob, type MatchProfile } from "@/core/match.ts";

/** The job columns `computeMatch` reads (jobs `j` joined with companies `c`). */
export const matchJobColumns = (tx: Sql | Tx) =>
  tx`j.title, j.skills, j.skills_nice, (case when j.skills is null then j.description end) as match_description,
     j.location, j.remote, j.job_type, j.comp_min, j.comp_max, j.requires_visa_sponsorship,
     c.industry as company_industry, c.size as company_size, c.tech_stack as company_tech_stack`;

/** A row holding `matchJobColumns`. */
export interface MatchJobRow {
  title: string;
  skills: string[] | null;
  skills_nice: string[] | null;
  match_description: string | null;
  location: string | null;
  remote: boolean | null;
  job_type: string | null;
  comp_min: number | null;
  comp_max: number | null;
  requires_visa_sponsorship: boolean | null;
  company_industry: string | null;
  company_size: string | null;
  company_tech_stack: string[] | null;
}

/** Shapes a `matchJobColumns` row for `computeMatch`. */
export function toMatchJob(row: MatchJobRow): MatchJob {
  return {
    title: row.title,
    skills: Array.isArray(row.skills) ? row.skills : null,
    skills_nice: Array.isArray(row.skills_nice) ? row.skills_nice : null,
    description: row.match_description,
    location: row.location,
    remote: row.remote,
    job_type: row.job_type,
    comp_min: row.comp_min,
    comp_max: row.comp_max,
    requires_visa_sponsorship: row.requires_visa_sponsorship,
    company: { industry: row.company_industry, size: row.company_size, tech_stack: row.company_tech_stack },
  };
}

/** The user's match profile with what the job list also needs from the same rows. */
export type SearchProfile = MatchProfile & { hidden_companies: number[]; has_resume: boolean };

/** The columns `toMatchProfile` reads (resumes `r` and job_preferences `p`, either may be missing). */
export const matchProfileColumns = (tx: Sql | Tx) =>
  tx`r.skills as resume_skills, r.roles as resume_roles, p.skills, p.locations, p.remote_ok, p.role_types,
     p.role_levels, p.industries, p.company_sizes, p.min_salary, p.needs_visa_sponsorship, p.hidden_companies`;

/** A row holding `matchProfileColumns`. */
export type MatchProfileRow = MatchProfile & {
  resume_skills: string[] | null;
  resume_roles: unknown;
  hidden_companies: number[] | null;
};

/** The user's match profile (resume skills plus preferences), inside their RLS transaction. */
export async function getMatchProfile(tx: Tx, userId: number): Promise<SearchProfile> {
  const [row] = await tx<MatchProfileRow[]>`
    select ${matchProfileColumns(tx)}
    from (select ${userId}::int as user_id) me
    left join resumes r on r.user_id = me.user_id
    left join job_preferences p on p.user_id = me.user_id`;
  return toMatchProfile(row);
}

/** Shapes a `matchProfileColumns` row (nulls where the user saved nothing) as the match score reads it. */
export function toMatchProfile(row: MatchProfileRow): SearchProfile {
  const strings = (v: unknown) => Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  return {
    skills: [...strings(row.resume_skills), ...strings(row.skills)],
    roles: strings(row.resume_roles),
    // A resume row with something in it: the job list then opens best match first.
    has_resume: strings(row.resume_skills).length > 0 || strings(row.resume_roles).length > 0,
    locations: strings(row.locations),
    remote_ok: row.remote_ok ?? EMPTY_PROFILE.remote_ok,
    // No preferences saved: the seed's column default, as GET /api/preferences and the settings page show it.
    role_types: row.role_types === null || row.role_types === undefined
      ? ["full-time"]
      : strings(row.role_types),
    role_levels: strings(row.role_levels),
    industries: strings(row.industries),
    company_sizes: strings(row.company_sizes),
    min_salary: row.min_salary ?? null,
    needs_visa_sponsorship: row.needs_visa_sponsorship ?? false,
    hidden_companies: Array.isArray(row.hidden_companies)
      ? row.hidden_companies.filter((x): x is number => Number.isSafeInteger(x))
      : [],
  };
}

/**
 * Recomputes `match_score` of every application of the user (after a resume or preferences change), in
 * the caller's transaction so the scores never disagree with the profile that was just saved.
 */
export async function rescoreApplications(tx: Tx, userId: number): Promise<number> {
  const profile = await getMatchProfile(tx, userId);
  const rows = await tx<(MatchJobRow & { id: number })[]>`
    select a.id, ${matchJobColumns(tx)}
    from applications a join jobs j on j.id = a.job_id join companies c on c.id = j.company_id
    where a.user_id = ${userId}::int`;
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  const scores = rows.map((r) => computeMatch(toMatchJob(r), profile).score);
  await tx`
    update applications a set match_score = s.score
    from unnest(${ids}::int[], ${scores}::int[]) as s(id, score)
    where a.id = s.id and a.match_score is distinct from s.score`;
  return rows.length;
}

/**
 * Refreshes the `match_scores` materialized view without blocking readers (CONCURRENTLY, which the
 * view's unique index allows). Owner pool: the scheduled job `refresh-match-scores` calls it.
 */
export async function refreshMatchScores(sql: Sql): Promise<{ rows: number }> {
  await sql`refresh materialized view concurrently match_scores`;
  const [row] = await sql<{ rows: number }[]>`select count(*)::int as rows from match_scores`;
  return row;
}

/** The user's scores from the view (through the RLS-filtered `my_match_scores`). */
export function listMyMatchScores(tx: Tx): Promise<{ job_id: number; score: number; category: string }[]> {
  return tx`select job_id, score, category from my_match_scores order by score desc, job_id`;
}
