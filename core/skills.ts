/**
 * Skills as text: normalising what users type, and finding known skills in resumes and job ads against
 * the vocabulary of core/skills_vocabulary.ts. Matching compares canonical keys, so "k8s", "Kubernetes"
 * and "kubernetes" are one skill, and an unknown skill still matches itself case-insensitively.
 */
import { type SkillEntry, SKILLS } from "./skills_vocabulary.ts";

/** Every spelling (name and aliases, lower-cased) to its entry; built once from the vocabulary, only read. */
const byKey: ReadonlyMap<string, SkillEntry> = new Map(
  SKILLS.flatMap((entry) =>
    [entry.name, ...(entry.aliases ?? [])].map((s) => [s.toLowerCase(), entry] as const)
  ),
);

/** The comparison key of a skill: its canonical name lower-cased when known, else the trimmed text. */
export function skillKey(skill: string): string {
  const known = keyCache.get(skill);
  if (known !== undefined) return known;
  const text = skill.trim().replace(/\s+/g, " ").toLowerCase();
  const key = byKey.get(text)?.name.toLowerCase() ?? text;
  if (keyCache.size >= 20_000) keyCache.clear();
  keyCache.set(skill, key);
  return key;
}

/** Keys already computed: scoring a page of best matches asks for the same few hundred skills again and again. */
const keyCache = new Map<string, string>(); // memo: pure function of its key

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

/** Words after an ambiguous name that make it the skill: "Go is", "Rust services", "Epic charting". */
const TECH_AFTER =
  /^\s+(?:is|was|are|were|language|code|codebase|developers?|engineers?|engineering|services?|programming|microservices|backends?|modules?|experience|apps?|ecosystem|tooling|charting|EHR|\d)\b/i;
/** A list or a preposition before the name: "Python, Go", "in Go", "with Swift", "SQL and R". */
const LIST_BEFORE = /(?:[,;:/(|+]|\b(?:and|or|in|with|using|of|plus|like|including))\s*$/i;
const LIST_AFTER = /^\s*(?:[,;:/)|]|\.(?:\s|$)|$|\n|\b(?:and|or)\b|\()/i;
const SENTENCE_START = /(?:^|[.!?\n]\s*|^\s*[-*•]\s*)$/;

/**
 * Whether an ambiguous name ("Go", "Swift", "Rust", "R", "Epic") at `at` is meant as the skill. Joined to a
 * word ("Go-getter", "Go-to-market", "R&D") it is not. In a list, after "in"/"with", or before a tech word
 * it is. Otherwise it is the skill mid-sentence (capitalised where a plain word would not be) and the plain
 * word at the start of a sentence ("Go deep on pricing", "Swift delivery matters"). A lone "R" starting a
 * sentence is never an English word, so it counts there too.
 */
function meantAsSkill(text: string, at: number, name: string, written: string): boolean {
  const before = text.slice(Math.max(0, at - 40), at);
  const after = text.slice(at + written.length, at + written.length + 40);
  if (/^[-&'’][\p{L}]/u.test(after)) return false;
  if (name === "R" && /^\.\s/.test(after) && /\b\p{Lu}\p{Ll}+\s$/u.test(before)) return false; // "John R. Smith"
  if (LIST_BEFORE.test(before) || LIST_AFTER.test(after) || TECH_AFTER.test(after)) return true;
  if (SENTENCE_START.test(before)) return name === "R";
  return true;
}

/** The known skills a text mentions, canonical names in order of first mention. */
export function extractSkills(text: string | null | undefined): string[] {
  if (!text) return [];
  const found: { at: number; name: string }[] = [];
  for (const matcher of [anyCase, exactCase]) {
    for (const match of text.matchAll(matcher)) {
      const entry = byKey.get(match[0].toLowerCase());
      if (!entry) continue;
      const at = match.index ?? 0;
      if (entry.ambiguous && !meantAsSkill(text, at, entry.name, match[0])) continue;
      found.push({ at, name: entry.name });
    }
  }
  found.sort((a, b) => a.at - b.at);
  return normalizeSkills(found.map((f) => f.name));
}

/** A sentence that names optional skills: what a job ad asks for there is a nice-to-have. */
const OPTIONAL =
  /\b(?:nice[- ]to[- ]have|bonus|a plus|preferred|familiarity with|not required|would be great|ideally)\b/i;

/**
 * A job's skills (title and description, as `extractSkills`) and which of them are only nice to have:
 * named only in sentences that say so ("Kubernetes is a plus", "Nice to have: Terraform") and not in the
 * title. The match score weighs a missing nice-to-have at a third of a required skill.
 */
export function extractJobSkills(
  title: string,
  description: string | null | undefined,
): { skills: string[]; nice: string[] } {
  const skills = extractSkills(`${title}\n${description ?? ""}`);
  const required = new Set(extractSkills(title).map(skillKey));
  const optional = new Set<string>();
  for (const sentence of (description ?? "").split(/(?<=[.!?;\n])\s+/)) {
    const keys = extractSkills(sentence).map(skillKey);
    for (const k of keys) (OPTIONAL.test(sentence) ? optional : required).add(k);
  }
  return { skills, nice: skills.filter((s) => optional.has(skillKey(s)) && !required.has(skillKey(s))) };
}
