/** zod schemas of the resume and the job preferences (API routes and the settings page share them). */
import { z } from "zod";
import { COMPANY_SIZES, ROLE_LEVELS, ROLE_TYPES } from "./match.ts";
import { normalizeSkills } from "./skills.ts";

const text = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `at most ${max} items`);
const Skills = list(z.string().max(60, "must be at most 60 characters"), 100).transform(normalizeSkills);
const uniq = <T>(items: T[]) => [...new Set(items)];
const Salary = z.number().int("must be a whole number").min(0, "must be 0 or more").max(
  10_000_000,
  "is too large",
);

export const ResumeBody = z.strictObject({
  roles: list(text(500), 50).default([]),
  key_metrics: list(text(500), 50).default([]),
  accomplishments: list(text(1000), 50).default([]),
  /** When absent and `raw_text` is given, the skills the text names (core/skills.ts). */
  skills: Skills.optional(),
  raw_text: z.string().max(100_000, "must be at most 100000 characters").nullable().optional(),
});

export const ResumeOut = z.object({
  roles: z.array(z.string()),
  key_metrics: z.array(z.string()),
  accomplishments: z.array(z.string()),
  skills: z.array(z.string()),
  raw_text: z.string().nullable(),
  updated_at: z.string().nullable(),
});

export const PreferencesBody = z.strictObject({
  values: list(text(100), 30).transform(uniq).default([]),
  role_types: list(z.enum(ROLE_TYPES), ROLE_TYPES.length * 2).transform(uniq).default(["full-time"]),
  locations: list(text(255), 30).transform(uniq).default([]),
  remote_ok: z.boolean().default(true),
  role_levels: list(z.enum(ROLE_LEVELS), ROLE_LEVELS.length * 2).transform(uniq).default([]),
  company_sizes: list(z.enum(COMPANY_SIZES), COMPANY_SIZES.length * 2).transform(uniq).default([]),
  industries: list(text(255), 30).transform(uniq).default([]),
  skills: Skills.default([]),
  hidden_companies: list(z.number().int().min(1).max(2_147_483_647), 1000).transform(uniq).default([]),
  min_salary: Salary.nullable().default(null),
  max_salary: Salary.nullable().default(null),
  needs_visa_sponsorship: z.boolean().default(false),
}).check((ctx) => {
  const { min_salary: min, max_salary: max } = ctx.value;
  if (min !== null && max !== null && min > max) {
    ctx.issues.push({
      code: "custom",
      input: max,
      path: ["max_salary"],
      message: "must be at least min_salary",
    });
  }
});

export type ResumeInput = z.output<typeof ResumeBody>;
export type PreferencesInput = z.output<typeof PreferencesBody>;

export const PreferencesOut = z.object({
  values: z.array(z.string()),
  role_types: z.array(z.string()),
  locations: z.array(z.string()),
  remote_ok: z.boolean(),
  role_levels: z.array(z.string()),
  company_sizes: z.array(z.string()),
  industries: z.array(z.string()),
  skills: z.array(z.string()),
  hidden_companies: z.array(z.number()),
  min_salary: z.number().nullable(),
  max_salary: z.number().nullable(),
  needs_visa_sponsorship: z.boolean(),
  updated_at: z.string().nullable(),
});
