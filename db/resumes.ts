/** The job seeker's resume (one per user), always read and written under row-level security. */
import { type Sql, type Tx, withUser } from "./client.ts";
import { rescoreApplications } from "./match_scores.ts";
import { markCandidatesStale } from "./match_candidates.ts";
import type { ResumeInput } from "@/core/profile_schemas.ts";
import { extractSkills } from "@/core/skills.ts";

export interface Resume {
  roles: string[];
  key_metrics: string[];
  accomplishments: string[];
  skills: string[];
  raw_text: string | null;
  updated_at: Date | null;
}

const EMPTY: Resume = {
  roles: [],
  key_metrics: [],
  accomplishments: [],
  skills: [],
  raw_text: null,
  updated_at: null,
};

async function selectResume(tx: Tx): Promise<Resume> {
  const [row] = await tx<Resume[]>`
    select roles, key_metrics, accomplishments, skills, raw_text, updated_at from resumes`;
  return row ?? { ...EMPTY };
}

/** The user's resume; an empty one when none was saved yet. */
export function getResume(sql: Sql, userId: number): Promise<Resume> {
  return withUser(sql, userId, selectResume);
}

/**
 * Replaces the resume. Without `skills`, the skills named in `raw_text` become the first list. The
 * user's applications are re-scored in the same transaction.
 */
export function putResume(sql: Sql, userId: number, input: ResumeInput): Promise<Resume> {
  const skills = input.skills ?? extractSkills(input.raw_text);
  return withUser(sql, userId, async (tx) => {
    const [row] = await tx<Resume[]>`
      insert into resumes (user_id, roles, key_metrics, accomplishments, skills, raw_text)
      values (${userId}::int, ${tx.json(input.roles)}::jsonb, ${tx.json(input.key_metrics)}::jsonb,
              ${tx.json(input.accomplishments)}::jsonb, ${tx.json(skills)}::jsonb, ${
      input.raw_text ?? null
    }::text)
      on conflict (user_id) do update set roles = excluded.roles, key_metrics = excluded.key_metrics,
        accomplishments = excluded.accomplishments, skills = excluded.skills, raw_text = excluded.raw_text
      returning roles, key_metrics, accomplishments, skills, raw_text, updated_at`;
    await rescoreApplications(tx, userId);
    // Best match first reads the pools until the table is rebuilt for the new profile.
    await markCandidatesStale(tx, userId);
    return row;
  });
}
