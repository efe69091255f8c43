/** The job seeker's preferences (one row per user), under row-level security. */
import { type Sql, withUser } from "./client.ts";
import { rescoreApplications } from "./match_scores.ts";
import { markCandidatesStale } from "./match_candidates.ts";
import type { PreferencesInput } from "@/core/profile_schemas.ts";

export interface Preferences extends PreferencesInput {
  updated_at: Date | null;
}

const COLUMNS = `values, role_types, locations, remote_ok, role_levels, company_sizes, industries, skills,
  hidden_companies, min_salary, max_salary, needs_visa_sponsorship, updated_at`;

/** The seed's defaults, for a user who never saved preferences. */
export const DEFAULT_PREFERENCES: Preferences = {
  values: [],
  role_types: ["full-time"],
  locations: [],
  remote_ok: true,
  role_levels: [],
  company_sizes: [],
  industries: [],
  skills: [],
  hidden_companies: [],
  min_salary: null,
  max_salary: null,
  needs_visa_sponsorship: false,
  updated_at: null,
};

/** The user's preferences; the defaults when none were saved. */
export function getPreferences(sql: Sql, userId: number): Promise<Preferences> {
  return withUser(sql, userId, async (tx) => {
    const [row] = await tx.unsafe<Preferences[]>(`select ${COLUMNS} from job_preferences`);
    return row ?? structuredClone(DEFAULT_PREFERENCES);
  });
}

/** Replaces the preferences and re-scores the user's applications in the same transaction. */
export function putPreferences(sql: Sql, userId: number, p: PreferencesInput): Promise<Preferences> {
  return withUser(sql, userId, async (tx) => {
    const [row] = await tx<Preferences[]>`
      insert into job_preferences (user_id, values, role_types, locations, remote_ok, role_levels, company_sizes,
                                   industries, skills, hidden_companies, min_salary, max_salary,
                                   needs_visa_sponsorship)
      values (${userId}::int, ${tx.json(p.values)}::jsonb, ${tx.json(p.role_types)}::jsonb,
              ${tx.json(p.locations)}::jsonb, ${p.remote_ok}::boolean, ${tx.json(p.role_levels)}::jsonb,
              ${tx.json(p.company_sizes)}::jsonb, ${tx.json(p.industries)}::jsonb, ${
      tx.json(p.skills)
    }::jsonb,
              ${tx.json(p.hidden_companies)}::jsonb, ${p.min_salary}::int, ${p.max_salary}::int,
              ${p.needs_visa_sponsorship}::boolean)
      on conflict (user_id) do update set values = excluded.values, role_types = excluded.role_types,
        locations = excluded.locations, remote_ok = excluded.remote_ok, role_levels = excluded.role_levels,
        company_sizes = excluded.company_sizes, industries = excluded.industries, skills = excluded.skills,
        hidden_companies = excluded.hidden_companies, min_salary = excluded.min_salary,
        max_salary = excluded.max_salary, needs_visa_sponsorship = excluded.needs_visa_sponsorship
      returning ${tx.unsafe(COLUMNS)}`;
    await rescoreApplications(tx, userId);
    // Best match first reads the pools until the table is rebuilt for the new profile.
    await markCandidatesStale(tx, userId);
    return row;
  });
}

/**
 * Hides (or shows again) one company's jobs from the user's searches, keeping the rest of the
 * preferences; creates the preferences row with the seed's defaults when there is none.
 */
export function setCompanyHidden(
  sql: Sql,
  userId: number,
  companyId: number,
  hidden: boolean,
): Promise<number[]> {
  return withUser(sql, userId, async (tx) => {
    const [row] = await tx<{ hidden_companies: number[] }[]>`
      insert into job_preferences (user_id, hidden_companies)
      values (${userId}::int, case when ${hidden}::boolean then jsonb_build_array(${companyId}::int) else '[]'::jsonb end)
      on conflict (user_id) do update set hidden_companies = (
        select coalesce(jsonb_agg(distinct x), '[]'::jsonb)
        from jsonb_array_elements(job_preferences.hidden_companies || jsonb_build_array(${companyId}::int)) x
        where ${hidden}::boolean or x <> to_jsonb(${companyId}::int)
      )
      returning hidden_companies`;
    await rescoreApplications(tx, userId);
    return row.hidden_companies;
  });
}
