/**
 * Role fit: whether a job title is the kind of work the resume's roles are. A title is read as a profession
 * (software, data, design, nursing, ...) and, inside it, a specialty (backend, frontend, product design,
 * ...). Skill overlap alone cannot tell a Product Designer job from a backend one when both name Figma;
 * the profession can. Pure and deterministic, like core/match.ts which uses it.
 */

export type Profession =
  | "nursing"
  | "healthcare"
  | "recruiting"
  | "finance"
  | "data"
  | "software"
  | "design"
  | "product"
  | "sales"
  | "marketing"
  | "customer_success"
  | "operations";

/** Checked in order: the first profession whose words a title has is its profession. */
const PROFESSIONS: [Profession, RegExp][] = [
  ["healthcare", /\b(nursing assistant|cna|medical assistant|aide)\b/i],
  ["nursing", /\b(nurse|nursing|rn|lpn|lvn)\b/i],
  ["healthcare", /\b(medical|hygienist|pharmacist|physician|therapist|caregiver|cna|clinical|dental)\b/i],
  ["recruiting", /\b(recruiter|recruiting|talent acquisition|sourcer)\b/i],
  ["finance", /\b(financial|finance|accountant|accounting|controller|bookkeeper|auditor)\b/i],
  ["marketing", /\b(go-to-market|gtm|marketing manager|content|seo|growth marketer|brand manager)\b/i],
  ["data", /\b(data|analyst|analytics|business intelligence|bi|machine learning|ml|scientist)\b/i],
  [
    "software",
    /\b(engineer|engineering|developer|programmer|devops|sre|site reliability|software|architect|qa)\b/i,
  ],
  ["design", /\b(designer|design|ux|ui|researcher)\b/i],
  ["product", /\b(product manager|product owner|program manager)\b/i],
  ["sales", /\b(account executive|sales|business development|sdr|bdr)\b/i],
  ["marketing", /\b(marketing|marketer)\b/i],
  ["customer_success", /\b(customer success|customer support|account manager|support specialist)\b/i],
  ["operations", /\b(operations|warehouse|logistics|supply chain)\b/i],
];

/** Professions one move apart: a job there is a stretch, never a strong match. */
const NEIGHBOURS: [Profession, Profession][] = [
  ["software", "data"],
  ["software", "design"],
  ["design", "product"],
  ["data", "finance"],
  ["nursing", "healthcare"],
  ["sales", "customer_success"],
  ["sales", "marketing"],
];

/** Specialties inside a profession; a title may have several ("Full Stack" is frontend and backend). */
const SPECIALTIES: [string, RegExp][] = [
  ["frontend", /\b(front[- ]?end|web|ui engineer|ux engineer|react|javascript|full[- ]?stack)\b/i],
  [
    "backend",
    /\b(back[- ]?end|server|api|payments|platform|full[- ]?stack|go|golang|python|java|node\.js|rust)\b/i,
  ],
  ["mobile", /\b(ios|android|mobile|react native)\b/i],
  ["infrastructure", /\b(devops|sre|site reliability|infrastructure|platform|cloud)\b/i],
  ["testing", /\b(qa|test|quality)\b/i],
  ["product_design", /\b(product designer|ux designer|ui designer|ux|ui|interaction)\b/i],
  ["visual_design", /\b(graphic|visual|brand|illustrat\w*)\b/i],
  ["research", /\b(researcher|research)\b/i],
  ["analysis", /\b(analyst|analytics|business intelligence|bi)\b/i],
  ["science", /\b(scientist|machine learning|ml)\b/i],
  ["data_engineering", /\b(data engineer|analytics engineer)\b/i],
  ["practitioner", /\b(practitioner|np|fnp)\b/i],
  ["informatics", /\binformatics\b/i],
];

export function professionOf(title: string): Profession | null {
  for (const [p, words] of PROFESSIONS) if (words.test(title)) return p;
  return null;
}

export function specialtiesOf(title: string): string[] {
  return SPECIALTIES.filter(([, words]) => words.test(title)).map(([s]) => s);
}

const LABEL: Record<Profession, string> = {
  nursing: "nursing",
  healthcare: "health care",
  recruiting: "recruiting",
  finance: "finance",
  data: "data",
  software: "software engineering",
  design: "design",
  product: "product management",
  sales: "sales",
  marketing: "marketing",
  customer_success: "customer success",
  operations: "operations",
};

export interface RoleFit {
  /** 1 same specialty, 0.85 same profession (no specialty to compare), 0.6 a specialty the roles do not
   * show, 0.5 same profession but another specialty, 0.3 a neighbouring profession, 0 another one. */
  value: number;
  /** "same" profession, a "neighbour", or "other": core/match.ts caps the score for the last two. */
  kind: "same" | "neighbour" | "other";
  reason: string;
}

/**
 * How the job title fits the resume's roles, or null when either side names no known profession (then
 * only the other parts of the score speak).
 */
export function roleFit(title: string, roles: readonly string[]): RoleFit | null {
  const fit = professionFit(title, roles);
  // Managing people is its own track: an individual contributor's resume fits a manager job only in part.
  if (fit?.kind === "same" && MANAGES.test(title) && !roles.some((r) => MANAGES.test(r)) && fit.value > 0.5) {
    return { value: 0.5, kind: "same", reason: `a people-manager role; your roles do not manage people` };
  }
  return fit;
}

/** Titles of people managers ("Engineering Manager", "Design Manager", "Head of Data"). */
const MANAGES = /\b(manager|head of|director)\b/i;

function professionFit(title: string, roles: readonly string[]): RoleFit | null {
  const job = professionOf(title);
  const mine = roles.map((r) => ({ role: r, p: professionOf(r) })).filter((x) => x.p !== null);
  if (!job || mine.length === 0) return null;
  const same = mine.filter((x) => x.p === job);
  if (same.length > 0) {
    const jobSpecs = specialtiesOf(title);
    const mySpecs = new Set(same.flatMap((x) => specialtiesOf(x.role)));
    if (jobSpecs.length > 0 && mySpecs.size === 0) {
      return {
        value: 0.6,
        kind: "same",
        reason: `${LABEL[job]}, in a specialty your roles do not show (${jobSpecs.join(", ")})`,
      };
    }
    if (jobSpecs.length === 0 || mySpecs.size === 0) {
      return { value: 0.85, kind: "same", reason: `a ${LABEL[job]} role, like your ${same[0].role}` };
    }
    if (jobSpecs.some((s) => mySpecs.has(s))) {
      return { value: 1, kind: "same", reason: `the kind of role you have had (${same[0].role})` };
    }
    return {
      value: 0.5,
      kind: "same",
      reason: `${LABEL[job]}, but a different specialty from your ${same[0].role}`,
    };
  }
  const near = mine.find((x) =>
    NEIGHBOURS.some(([a, b]) => (a === job && b === x.p) || (b === job && a === x.p))
  );
  if (near) {
    return {
      value: 0.3,
      kind: "neighbour",
      reason: `a ${LABEL[job]} role, next to your ${LABEL[near.p!]} experience`,
    };
  }
  return {
    value: 0,
    kind: "other",
    reason: `a ${LABEL[job]} role, a different profession from your ${mine[0].role}`,
  };
}
