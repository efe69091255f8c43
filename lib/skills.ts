/**
 * Skills as text: normalising what users type, and finding known skills in resumes and job ads against
 * the vocabulary of lib/skills_vocabulary.ts. Matching compares canonical keys, so "k8s", "Kubernetes"
 * and "kubernetes" are one skill, and an unknown skill still matches itself case-insensitively.
 */
import { type SkillEntry, SKILLS } from "./skills_vocabulary.ts";

const byKey = new Map<string, SkillEntry>();
for (const entry of SKILLS) {
  for (const spelling of [entry.name, ...(entry.aliases ?? [])]) byKey.set(spelling.toLowerCase(), entry);
}

/** The comparison key of a skill: its canonical name lower-cased when known, else the trimmed text. */
export function skillKey(skill: string): string {
  const text = skill.trim().replace(/\s+/g, " ").toLowerCase();
  return byKey.get(text)?.name.toLowerCase() ?? text;
}

/** The display name of a skill: the vocabulary's spelling when known, else the user's own. */
export function canonicalSkill(skill: string): string {
  const text = skill.trim().replace(/\s+/g, " ");
  return byKey.get(text.toLowerCase())?.name ?? text;
}

/**
 * Trims, collapses spaces, drops empties and keeps the first of case-insensitive duplicates, in order:
 * what the resume and preferences store.
 */
export function normalizeSkills(skills: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of skills) {
    const text = raw.trim().replace(/\s+/g, " ");
    if (!text) continue;
    const key = skillKey(text);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(text);
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function buildMatcher(entries: SkillEntry[], flags: string): RegExp {
  const spellings = entries.flatMap((e) => [e.name, ...(e.aliases ?? [])]);
  spellings.sort((a, b) => b.length - a.length); // longest first: "React Native" before "React"
  // A skill is a whole token: no letter, digit, +, # or . glued before it, no letter, digit, + or # after.
  return new RegExp(
    `(?<![\\p{L}\\p{N}+#.])(?:${spellings.map(escape).join("|")})(?![\\p{L}\\p{N}+#])`,
    flags,
  );
}

const anyCase = buildMatcher(SKILLS.filter((e) => e.text !== false && !e.exactCase), "giu");
const exactCase = buildMatcher(SKILLS.filter((e) => e.text !== false && e.exactCase), "gu");

/** The known skills a text mentions, canonical names in order of first mention. */
export function extractSkills(text: string | null | undefined): string[] {
  if (!text) return [];
  const found: { at: number; name: string }[] = [];
  for (const matcher of [anyCase, exactCase]) {
    for (const match of text.matchAll(matcher)) {
      const entry = byKey.get(match[0].toLowerCase());
      if (entry) found.push({ at: match.index ?? 0, name: entry.name });
    }
  }
  found.sort((a, b) => a.at - b.at);
  return normalizeSkills(found.map((f) => f.name));
}
