/**
 * Address finding: the local-part patterns companies use (first.last@,
 * flast@, …), which of them a company's known contacts follow, and the
 * candidate addresses for a new name ranked by that evidence. Pure: the
 * contacts come from the caller, nothing is looked up here.
 */
import { isRoleAddress } from "./role_addresses.ts";

export const PATTERNS = [
  "first.last",
  "flast",
  "first",
  "firstl",
  "first_last",
  "firstlast",
  "last",
  "f.last",
] as const;
export type Pattern = typeof PATTERNS[number];

/**
 * The order used when a domain has no evidence, most common first (the order
 * the address-finding vendors publish: first.last and flast dominate, then
 * first alone).
 */
export const COMMON_ORDER: readonly Pattern[] = PATTERNS;

export interface NameParts {
  first: string;
  last: string;
}

/**
 * Lower-case ASCII letters of a name part: accents dropped (José → jose),
 * apostrophes and hyphens removed (O'Brien → obrien).
 */
export function normalizePart(part: string): string {
  return part.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * First and last name from a full name: the first word and the last word
 * ("Mary Ann van Dyke" → mary, dyke). Null when fewer than two usable words.
 */
export function splitName(fullName: string, first?: string | null, last?: string | null): NameParts | null {
  const words = fullName.trim().split(/\s+/).map(normalizePart).filter(Boolean);
  const f = first ? normalizePart(first) : words[0];
  const l = last ? normalizePart(last) : words.length > 1 ? words[words.length - 1] : "";
  if (!f || !l) return null;
  return { first: f, last: l };
}

/** The local part a pattern gives for a name. */
export function applyPattern(pattern: Pattern, { first, last }: NameParts): string {
  switch (pattern) {
    case "first.last":
      return `${first}.${last}`;
    case "flast":
      return `${first[0]}${last}`;
    case "first":
      return first;
    case "firstl":
      return `${first}${last[0]}`;
    case "first_last":
      return `${first}_${last}`;
    case "firstlast":
      return `${first}${last}`;
    case "last":
      return last;
    case "f.last":
      return `${first[0]}.${last}`;
  }
}

/**
 * The patterns a known contact's local part follows (usually one; "first"
 * and "firstl" can coincide for very short names, so all matches count).
 */
export function patternsOf(localPart: string, name: NameParts): Pattern[] {
  const local = localPart.toLowerCase();
  return PATTERNS.filter((p) => applyPattern(p, name) === local);
}

export interface KnownContact {
  full_name: string;
  first_name?: string | null;
  last_name?: string | null;
  email: string | null;
}

/** How many known contacts at the domain follow each pattern (role addresses such as jobs@ are no evidence). */
export function inferPatterns(domain: string, known: KnownContact[]): Map<Pattern, number> {
  const counts = new Map<Pattern, number>();
  const want = domain.toLowerCase();
  for (const c of known) {
    if (!c.email || isRoleAddress(c.email)) continue;
    const at = c.email.lastIndexOf("@");
    if (at < 1 || c.email.slice(at + 1).toLowerCase() !== want) continue;
    const name = splitName(c.full_name, c.first_name, c.last_name);
    if (!name) continue;
    for (const p of patternsOf(c.email.slice(0, at), name)) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return counts;
}

export interface Candidate {
  email: string;
  pattern: Pattern;
  /** Known contacts at the domain that follow the pattern (0: a common pattern, no evidence). */
  evidence: number;
}

/**
 * Candidate addresses for a name at a domain: patterns with evidence first
 * (most evidence first), then the rest in the common order. The same address
 * from two patterns (e.g. a one-letter first name) is listed once, under the
 * better-ranked pattern. Empty when the name has no first and last part.
 */
export function candidateAddresses(
  fullName: string,
  domain: string,
  known: KnownContact[],
  opts: { limit?: number; first?: string | null; last?: string | null } = {},
): Candidate[] {
  const name = splitName(fullName, opts.first, opts.last);
  if (!name) return [];
  const counts = inferPatterns(domain, known);
  const ranked = [...COMMON_ORDER].sort((a, b) =>
    (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || COMMON_ORDER.indexOf(a) - COMMON_ORDER.indexOf(b)
  );
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const pattern of ranked) {
    const email = `${applyPattern(pattern, name)}@${domain.toLowerCase()}`;
    if (seen.has(email)) continue;
    seen.add(email);
    out.push({ email, pattern, evidence: counts.get(pattern) ?? 0 });
  }
  return out.slice(0, opts.limit ?? out.length);
}
