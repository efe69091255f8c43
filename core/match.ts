/**
 * The match score: how well one job fits one job seeker, 0–100, with the reasons a person can check.
 * A pure, deterministic function (no clock, no randomness, no database), so a score can be recomputed
 * anywhere and always agrees. The formula is written out in docs/matching.md; keep the two in step.
 */
import { canonicalSkill, extractJobSkills, extractSkills, skillKey } from "./skills.ts";
import { roleFit } from "./role_fit.ts";

export const ROLE_TYPES = [
  "full-time",
  "part-time",
  "contract",
  "internship",
  "temporary",
  "freelance",
] as const;
export const ROLE_LEVELS = [
  "intern",
  "junior",
  "mid",
  "senior",
  "lead",
  "staff",
  "manager",
  "principal",
  "director",
  "vp",
  "executive",
] as const;
export const COMPANY_SIZES = [
  "1-10",
  "11-50",
  "51-200",
  "201-500",
  "501-1000",
  "1001-5000",
  "5001+",
] as const;

export type RoleLevel = typeof ROLE_LEVELS[number];

/** Rank of each level on one ladder; levels one step apart count half. */
const LEVEL_RANK: Record<RoleLevel, number> = {
  intern: 0,
  junior: 1,
  mid: 2,
  senior: 3,
  lead: 4,
  staff: 4,
  manager: 4,
  principal: 5,
  director: 5,
  vp: 6,
  executive: 7,
};

/** Title words, checked in this order (the most senior first: "Senior Engineering Manager" is a manager). */
const LEVEL_WORDS: [RoleLevel, RegExp][] = [
  ["executive", /\b(chief|cto|ceo|cfo|coo|cpo|ciso)\b/i],
  ["vp", /\b(vp|svp|evp|vice president|head of)\b/i],
  ["director", /\bdirector\b/i],
  ["principal", /\bprincipal\b/i],
  ["staff", /\bstaff\b/i],
  ["manager", /\bmanager\b/i],
  ["lead", /\b(lead|charge nurse)\b/i],
  ["senior", /\b(senior|sr)\b/i],
  ["junior", /\b(junior|jr|entry[- ]level|graduate|associate)\b/i],
  ["intern", /\b(intern|internship)\b/i],
];

export const WEIGHTS = {
  role: 30,
  skills: 35,
  level: 10,
  location: 12,
  salary: 10,
  role_type: 8,
  industry: 4,
  company_size: 4,
  visa: 5,
} as const;

/** Skill weights inside the skills part: a skill in the title is the job; a nice-to-have counts a third. */
const TITLE_SKILL = 3;
const NICE_SKILL = 0.3;
/** How many of the user's own skills a job has to use for the "your skills used here" side to be full. */
const OWN_SKILLS_FULL = 5;
/** Score ceilings: another profession is at most low, a neighbouring one or a missing title skill fair. */
const CAP_OTHER_PROFESSION = 49;
const CAP_STRETCH = 74;

export interface MatchJob {
  title: string;
  description?: string | null;
  /** Skills found in title and description at import; null or absent: found here from the text. */
  skills?: string[] | null;
  /** Which of `skills` the ad names only as nice to have (`jobs.skills_nice`); null: found from the text. */
  skills_nice?: string[] | null;
  location?: string | null;
  remote?: boolean | null;
  job_type?: string | null;
  comp_min?: number | null;
  comp_max?: number | null;
  /** True when the employer sponsors work visas for this role. */
  requires_visa_sponsorship?: boolean | null;
  company: { industry?: string | null; size?: string | null; tech_stack?: string[] | null };
}

export interface MatchProfile {
  /** Resume skills and preference skills together. */
  skills: string[];
  /** The resume's roles (job titles held or sought): the profession and seniority the jobs are read against. */
  roles?: string[];
  locations: string[];
  remote_ok: boolean;
  role_types: string[];
  role_levels: string[];
  industries: string[];
  company_sizes: string[];
  min_salary: number | null;
  needs_visa_sponsorship: boolean;
}

export type MatchCategory = "excellent" | "strong" | "fair" | "low";

export interface Match {
  score: number;
  category: MatchCategory;
  reasons: string[];
}

/** The seed's categories (the `match_scores` view uses the same thresholds). */
export function categoryOf(score: number): MatchCategory {
  return score >= 90 ? "excellent" : score >= 75 ? "strong" : score >= 50 ? "fair" : "low";
}

/** A profile with nothing in it: what a user who has not filled Settings gets. */
export const EMPTY_PROFILE: MatchProfile = {
  skills: [],
  locations: [],
  remote_ok: true,
  role_types: [],
  role_levels: [],
  industries: [],
  company_sizes: [],
  min_salary: null,
  needs_visa_sponsorship: false,
};

/** The level a job title names; a title without a level word is taken as mid-level. */
export function levelOfTitle(title: string): RoleLevel {
  for (const [level, words] of LEVEL_WORDS) if (words.test(title)) return level;
  return "mid";
}

/** `$150,000`, without locale data (the same on every machine). */
export function formatMoney(amount: number): string {
  return "$" + String(Math.round(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "$120,000 – $150,000", or the one end that is known. */
export function formatPayRange(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return `${formatMoney(min)} – ${formatMoney(max)}`;
  if (min !== null) return `from ${formatMoney(min)}`;
  return max !== null ? `up to ${formatMoney(max)}` : "pay not listed";
}

function listSome(items: string[], max = 5): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * Caches of what a title or a profile always gives the same answer for: a page of best matches scores
 * thousands of jobs whose titles repeat, and the regular expressions behind these dominate the cost.
 * Bounded: cleared when full.
 */
const CACHE_MAX = 20_000;
const fitCache = new Map<string, ReturnType<typeof roleFit>>(); // memo: pure function of its key
const levelCache = new Map<string, RoleLevel>(); // memo: pure function of its key
const titleSkillCache = new Map<string, Set<string>>(); // memo: pure function of its key

function memo<T>(cache: Map<string, T>, key: string, make: () => T): T {
  if (cache.has(key)) return cache.get(key)!;
  if (cache.size >= CACHE_MAX) cache.clear();
  const value = make();
  cache.set(key, value);
  return value;
}

const titleSkillKeys = (title: string) =>
  memo(titleSkillCache, title, () => new Set(extractSkills(title).map(skillKey)));

/** A company's tech stack as canonical names: few distinct stacks, read by every job of the company. */
const stackCache = new Map<string, string[]>(); // memo: pure function of its key
const canonicalStack = (stack: string[]) =>
  stack.length === 0 ? stack : memo(stackCache, stack.join("\u0000"), () => stack.map(canonicalSkill));

/**
 * What the score reads of a profile, worked out once per profile rather than once per job: its skill
 * keys, its roles' cache key, the levels it wants, its places, types, industries and sizes normalised.
 */
interface Prepared {
  profile: MatchProfile;
  mine: Set<string>;
  rolesKey: string;
  wanted: RoleLevel[];
  remoteOk: boolean;
  locations: string[];
  places: Place[];
  roleTypes: Set<string>;
  industries: Set<string>;
  sizes: number[];
}

const preparedCache = new WeakMap<MatchProfile, Prepared>(); // memo: pure function of its key

function prepare(profile: MatchProfile): Prepared {
  const known = preparedCache.get(profile);
  if (known) return known;
  let wanted = profile.role_levels.filter((l): l is RoleLevel => l in LEVEL_RANK);
  // No level chosen: the level of the most recent role on the resume.
  if (wanted.length === 0 && profile.roles?.length) wanted = [levelOfTitle(profile.roles[0])];
  const prepared: Prepared = {
    profile,
    mine: new Set(profile.skills.map(skillKey)),
    rolesKey: (profile.roles ?? []).join("\u0000"),
    wanted,
    remoteOk: profile.remote_ok || profile.locations.some((l) => l.trim().toLowerCase() === "remote"),
    locations: profile.locations,
    places: profile.locations.map(placeOf),
    roleTypes: new Set(profile.role_types.map((t) => t.toLowerCase())),
    industries: new Set(profile.industries.map((i) => i.trim().toLowerCase())),
    sizes: profile.company_sizes.map((s) => COMPANY_SIZES.indexOf(s as typeof COMPANY_SIZES[number]))
      .filter((i) => i >= 0),
  };
  preparedCache.set(profile, prepared);
  return prepared;
}

/** A part of the score; its reason is only written when asked for (a list of jobs shows none). */
type Part = { weight: number; value: number; reason: () => string; cap?: number } | null;

function skillsPart(job: MatchJob, p: Prepared): Part {
  if (p.profile.skills.length === 0) return null;
  const mine = p.mine;
  let required: string[];
  let nice: Set<string>;
  if (job.skills) {
    required = job.skills;
    nice = new Set((job.skills_nice ?? []).map(skillKey));
  } else {
    const found = extractJobSkills(job.title, job.description);
    required = found.skills;
    nice = new Set(found.nice.map(skillKey));
  }
  const stack = canonicalStack(job.company.tech_stack ?? []);
  let extra: string[] = [];
  if (required.length === 0) required = stack;
  else if (stack.length) {
    const requiredKeys = new Set(required.map(skillKey));
    extra = stack.filter((s) => !requiredKeys.has(skillKey(s)) && mine.has(skillKey(s)));
  }
  if (required.length === 0) return null;
  const inTitle = titleSkillKeys(job.title);
  const keys = required.map(skillKey);
  const weights = keys.map((k) => inTitle.has(k) ? TITLE_SKILL : nice.has(k) ? NICE_SKILL : 1);
  let total = 0;
  let got = 0;
  let matched = 0;
  for (let i = 0; i < keys.length; i++) {
    total += weights[i];
    if (mine.has(keys[i])) {
      got += weights[i];
      matched++;
    }
  }
  const coverage = Math.min(1, got / total + 0.05 * extra.length);
  // The other direction: how much of what the user can do this job uses.
  const used = Math.min(1, matched / Math.min(OWN_SKILLS_FULL, mine.size));
  const value = 0.8 * coverage + 0.2 * used;
  const has = (s: string) => mine.has(skillKey(s));
  const titleMissing = required.filter((_s, i) => inTitle.has(keys[i]) && !mine.has(keys[i]));
  const reason = () => {
    const must = required.filter((s) => !nice.has(skillKey(s)));
    const optional = required.filter((s) => nice.has(skillKey(s)));
    const missingMust = must.filter((s) => !has(s));
    let text = `${must.length - missingMust.length} of ${must.length} required skills` +
      (missingMust.length ? `: missing ${listSome(missingMust)}` : "");
    if (optional.length) {
      const missingNice = optional.filter((s) => !has(s));
      text += `; ${optional.length - missingNice.length} of ${optional.length} nice-to-have` +
        (missingNice.length ? ` (missing ${listSome(missingNice)})` : "");
    }
    if (extra.length) text += `; the company also uses ${listSome(extra)}`;
    if (titleMissing.length) {
      text += `; the title asks for ${listSome(titleMissing)}, which you do not list (at most a fair match)`;
    }
    return text;
  };
  return titleMissing.length
    ? { weight: WEIGHTS.skills, value, reason, cap: CAP_STRETCH }
    : { weight: WEIGHTS.skills, value, reason };
}

function rolePart(job: MatchJob, p: Prepared): Part {
  const fit = memo(
    fitCache,
    `${job.title}\u0000${p.rolesKey}`,
    () => roleFit(job.title, p.profile.roles ?? []),
  );
  if (!fit) return null;
  if (fit.kind === "other") {
    return {
      weight: WEIGHTS.role,
      value: 0,
      reason: () => `${fit.reason} (at most a low match)`,
      cap: CAP_OTHER_PROFESSION,
    };
  }
  if (fit.kind === "neighbour") {
    return {
      weight: WEIGHTS.role,
      value: fit.value,
      reason: () => `${fit.reason} (at most a fair match)`,
      cap: CAP_STRETCH,
    };
  }
  return { weight: WEIGHTS.role, value: fit.value, reason: () => fit.reason };
}

/** A place as `sameLocation` compares it: trimmed, lowercase, and its part before the first comma. */
type Place = { text: string; city: string };
const placeOf = (raw: string): Place => {
  const text = raw.trim().toLowerCase();
  return { text, city: text.split(",")[0].trim() };
};

/** Either contains the other, or the same city before the comma; an empty place matches nothing. */
function sameLocation(x: Place, y: Place): boolean {
  if (!x.text || !y.text) return false;
  return x.text.includes(y.text) || y.text.includes(x.text) || x.city === y.city;
}

function locationPart(job: MatchJob, p: Prepared): Part {
  const place = job.location?.trim();
  const at = place && p.places.length ? placeOf(place) : undefined;
  const hit = at ? p.places.some((l) => sameLocation(at, l)) : false;
  const w = WEIGHTS.location;
  if (hit) return { weight: w, value: 1, reason: () => `in ${place}, one of your locations` };
  if (job.remote) {
    return p.remoteOk
      ? { weight: w, value: 1, reason: () => "remote, which you accept" }
      : { weight: w, value: 0.5, reason: () => "remote, but you prefer on-site" };
  }
  if (p.locations.length === 0) return null;
  return {
    weight: w,
    value: 0,
    reason: () => `on-site in ${place || "an unlisted place"}, not one of your locations`,
  };
}

function salaryPart(job: MatchJob, p: Prepared): Part {
  const min = p.profile.min_salary;
  if (min === null || min <= 0) return null;
  const top = job.comp_max ?? job.comp_min;
  const w = WEIGHTS.salary;
  if (top === null || top === undefined) return { weight: w, value: 0.5, reason: () => "salary not listed" };
  if (top >= min) {
    return {
      weight: w,
      value: 1,
      reason: () => `pays up to ${formatMoney(top)}, at or above your ${formatMoney(min)}`,
    };
  }
  const value = Math.max(0, 1 - (2 * (min - top)) / min);
  return {
    weight: w,
    value,
    reason: () => `pays up to ${formatMoney(top)}, below your ${formatMoney(min)}`,
  };
}

function roleTypePart(job: MatchJob, p: Prepared): Part {
  if (!job.job_type || p.roleTypes.size === 0) return null;
  const ok = p.roleTypes.has(job.job_type.toLowerCase());
  return {
    weight: WEIGHTS.role_type,
    value: ok ? 1 : 0,
    reason: () => `${job.job_type}${ok ? "" : ", not a type you want"}`,
  };
}

function levelPart(job: MatchJob, p: Prepared): Part {
  const wanted = p.wanted;
  if (wanted.length === 0) return null;
  const level = memo(levelCache, job.title, () => levelOfTitle(job.title));
  let gap = Infinity;
  for (const l of wanted) gap = Math.min(gap, Math.abs(LEVEL_RANK[l] - LEVEL_RANK[level]));
  const value = gap === 0 ? 1 : gap === 1 ? 0.5 : 0;
  const reason = () =>
    gap === 0 ? `${level} level, as you want` : `${level} level; you want ${wanted.join(" or ")}`;
  return { weight: WEIGHTS.level, value, reason };
}

function industryPart(job: MatchJob, p: Prepared): Part {
  const industry = job.company.industry?.trim();
  if (!industry || p.industries.size === 0) return null;
  const ok = p.industries.has(industry.toLowerCase());
  return {
    weight: WEIGHTS.industry,
    value: ok ? 1 : 0,
    reason: () => `${industry}${ok ? ", an industry you chose" : ""}`,
  };
}

function sizePart(job: MatchJob, p: Prepared): Part {
  const size = job.company.size;
  const at = COMPANY_SIZES.indexOf(size as typeof COMPANY_SIZES[number]);
  if (at < 0 || p.sizes.length === 0) return null;
  let gap = Infinity;
  for (const i of p.sizes) gap = Math.min(gap, Math.abs(i - at));
  const value = gap === 0 ? 1 : gap === 1 ? 0.5 : 0;
  return {
    weight: WEIGHTS.company_size,
    value,
    reason: () => `${size} employees${gap === 0 ? ", a size you chose" : ""}`,
  };
}

function visaPart(job: MatchJob, p: Prepared): Part {
  if (!p.profile.needs_visa_sponsorship) return null;
  return job.requires_visa_sponsorship
    ? { weight: WEIGHTS.visa, value: 1, reason: () => "sponsors visas" }
    : { weight: WEIGHTS.visa, value: 0, reason: () => "does not sponsor visas" };
}

/**
 * Scores `job` for `profile`. Each part the user and the job both have data for contributes its weight
 * times a value in [0, 1]; the score is that sum over the weights that applied, as a whole percentage,
 * then held under the lowest ceiling a part set (another profession: low; a neighbouring profession or a
 * skill the title names and the user lacks: fair).
 */
export function computeMatch(job: MatchJob, profile: MatchProfile): Match {
  return scoreWith(job, prepare(profile), true);
}

/**
 * The score and category of many jobs for one profile (a page, a pool of candidates), without the reasons
 * (a list shows none): the same numbers as `computeMatch`, with the profile's part worked out once.
 */
export function matcherFor(profile: MatchProfile): (job: MatchJob) => Match {
  const prepared = prepare(profile);
  return (job) => scoreWith(job, prepared, false);
}

function scoreWith(job: MatchJob, p: Prepared, withReasons: boolean): Match {
  const parts = [
    rolePart(job, p),
    skillsPart(job, p),
    levelPart(job, p),
    locationPart(job, p),
    salaryPart(job, p),
    roleTypePart(job, p),
    industryPart(job, p),
    sizePart(job, p),
    visaPart(job, p),
  ].filter((part): part is NonNullable<Part> => part !== null);
  if (parts.length === 0) {
    return {
      score: 50,
      category: "fair",
      reasons: withReasons ? ["add skills and preferences in Settings for a real score"] : [],
    };
  }
  let total = 0;
  let got = 0;
  let cap = 100;
  for (const part of parts) {
    total += part.weight;
    got += part.weight * part.value;
    if (part.cap !== undefined && part.cap < cap) cap = part.cap;
  }
  const score = Math.max(0, Math.min(cap, Math.round((100 * got) / total)));
  return {
    score,
    category: categoryOf(score),
    reasons: withReasons ? parts.map((part) => part.reason()) : [],
  };
}
