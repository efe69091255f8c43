/**
 * The job import's row schema, shared by the admin API (`POST /api/admin/jobs/import`), the
 * `deno task import-jobs` script and db/job_imports.ts (which writes what it accepts). Pure: rows are
 * checked one by one here, so a bad row is rejected with its reason while the others go in.
 */
import { z } from "zod";
import { COMPANY_SIZES, ROLE_TYPES } from "./match.ts";
import { canonicalSkill, extractJobSkills, normalizeSkills } from "./skills.ts";
import { issuesToFields } from "./validate.ts";
import { IsoDate } from "./job_schemas.ts";
import { findBadText } from "./text_guard.ts";

const text = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const optionalText = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).nullish();
const money = z.number().int("must be a whole number").min(0, "must be 0 or more").max(
  100_000_000,
  "is too large",
);
const date = IsoDate;

/** A domain name: lower-cased, without scheme, path or a leading "www.". */
const Domain = z.string().trim().toLowerCase().max(255, "must be at most 255 characters")
  .transform((d) => d.replace(/^www\./, ""))
  .pipe(
    z.string().regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
      "must be a domain name",
    ),
  );

export const ImportCompany = z.strictObject({
  name: text(255),
  domain: Domain,
  size: z.enum(COMPANY_SIZES).nullish(),
  industry: optionalText(255),
  tech_stack: z.array(z.string().trim().min(1).max(60)).max(100, "at most 100 items")
    .transform((s) => normalizeSkills(s.map(canonicalSkill))).nullish(),
});

export const ImportJob = z.strictObject({
  external_id: text(255),
  source: text(100),
  title: text(500),
  company: ImportCompany,
  location: optionalText(255),
  remote: z.boolean().nullish(),
  job_type: z.enum(ROLE_TYPES).nullish(),
  description: z.string().max(100_000, "must be at most 100000 characters").nullish(),
  comp_min: money.nullish(),
  comp_max: money.nullish(),
  requires_visa_sponsorship: z.boolean().nullish(),
  posted_date: date.nullish(),
  expires_at: date.nullish(),
}).check((ctx) => {
  const { comp_min: min, comp_max: max } = ctx.value;
  if (min != null && max != null && min > max) {
    ctx.issues.push({ code: "custom", input: max, path: ["comp_max"], message: "must be at least comp_min" });
  }
});

export type ImportJobRow = z.output<typeof ImportJob> & { skills: string[]; skills_nice: string[] };

/**
 * The request: rows are checked one by one with {@link ImportJob} (a bad row is rejected with its index,
 * the others go in), so the array itself accepts any items.
 */
export const ImportBody = z.strictObject({
  jobs: z.array(
    z.unknown().describe(
      "a job: {external_id, source, title, company: {name, domain, size?, industry?, tech_stack?}, location?, " +
        "remote?, job_type?, description?, comp_min?, comp_max?, requires_visa_sponsorship?, posted_date?, " +
        "expires_at?}; an invalid one is listed in `rejected` with its index",
    ),
  ).min(1, "must not be empty").max(5000, "at most 5000 jobs per request"),
});

export const ImportOut = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  companies_created: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), error: z.string() })),
});

/** Validates one raw row; the error names each bad field ("comp_max: must be at least comp_min"). */
export function validateJobRow(raw: unknown): { row: ImportJobRow } | { error: string } {
  const bad = findBadText(raw);
  if (bad) return { error: `${bad.path}: ${bad.message}` };
  const parsed = ImportJob.safeParse(raw);
  if (!parsed.success) {
    const fields = issuesToFields(parsed.error.issues);
    return { error: Object.entries(fields).map(([k, v]) => (k === "body" ? v : `${k}: ${v}`)).join("; ") };
  }
  const job = parsed.data;
  const { skills, nice } = extractJobSkills(job.title, job.description);
  return { row: { ...job, skills, skills_nice: nice } };
}
