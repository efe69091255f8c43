/**
 * What the best-match candidate pools are chosen by (db/job_match_rank.ts, docs/matching.md "The candidate
 * pools"): the profile's skills by canonical name and its role words. Pure: computed when the profile is saved
 * and kept with the user's table state (migration 0098), and again by the search when it has the profile.
 */
import type { MatchProfile } from "./match.ts";
import { canonicalSkill } from "./skills.ts";
import { searchWords } from "./search_query.ts";

/** The pools' inputs: skills as the jobs store them, and the title-weight tsquery of the roles (or null). */
export interface PoolInputs {
  skills: string[];
  roles: string | null;
}

/** The pools' inputs of a profile. */
export function poolInputs(profile: Pick<MatchProfile, "skills" | "roles">): PoolInputs {
  return {
    skills: [...new Set(profile.skills.map(canonicalSkill))],
    roles: roleWordsQuery(profile.roles ?? []),
  };
}

/** Words of a role title that say nothing about the kind of work. */
const NOT_ROLE_WORDS = new Set([
  "senior",
  "sr",
  "junior",
  "jr",
  "lead",
  "staff",
  "principal",
  "head",
  "chief",
  "intern",
  "associate",
  "mid",
  "level",
  "i",
  "ii",
  "iii",
  "iv",
  "of",
  "and",
  "the",
  "a",
  "an",
  "for",
  "at",
  "in",
  "to",
  "with",
]);

/** The tsquery text of the resume's role words, title weight only: "'backend':A | 'engineer':A". */
export function roleWordsQuery(roles: readonly string[]): string | null {
  const words = new Set<string>();
  for (const role of roles) {
    // Broad words too ("engineer"): a "Software Engineer" job that names no skill is found only by them.
    for (const w of searchWords(role).toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (w.length >= 2 && !NOT_ROLE_WORDS.has(w)) words.add(w);
    }
  }
  return words.size ? [...words].slice(0, 20).map((w) => `'${w}':A`).join(" | ") : null;
}
