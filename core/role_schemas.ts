/** The zod schemas of recruiter mode (routes/api/roles), and its candidate pipeline's stages. */
import { z } from "zod";

/** A candidate's stages, in pipeline order (db/roles.ts moves a candidate along them). */
export const STAGES = ["sourced", "contacted", "replied", "interviewing", "submitted", "hired"] as const;
export type Stage = typeof STAGES[number];

const Text = (max: number) =>
  z.string().trim().min(1, "is required").max(max, `must be at most ${max} characters`);
const Domain = z.string().trim().toLowerCase().max(255).regex(
  /^(?=.{1,255}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  "must be a domain such as client.example",
);
const Company = z.strictObject({ name: Text(255), domain: Domain.nullish() });

export const CreateRole = z.union([
  z.strictObject({ job_id: z.number().int().min(1).max(2_147_483_647) }),
  z.strictObject({
    title: Text(255),
    company: Company,
    location: z.string().trim().max(255).nullish(),
    description: z.string().max(20_000).nullish(),
  }),
], { error: "give job_id, or title and company" });

export const AddCandidate = z.union([
  z.strictObject({ contact_id: z.number().int().min(1).max(2_147_483_647) }),
  z.strictObject({
    full_name: Text(255),
    email: z.string().trim().max(255).pipe(z.email("must be an email address")),
    title: z.string().trim().max(255).nullish(),
    company: Company,
  }),
], { error: "give contact_id, or full_name, email and company" });

export const SetStage = z.strictObject({ stage: z.enum(STAGES) });

export const CandidateOutreach = z.strictObject({
  sequence_id: z.number().int().min(1).max(2_147_483_647).optional(),
  variables: z.record(z.string().regex(/^[a-z_][a-z0-9_]{0,49}$/), z.string().max(2000)).optional(),
  send_window: z.boolean().optional(),
});

const Pipeline = z.object(Object.fromEntries(STAGES.map((s) => [s, z.number().int()])) as Record<
  typeof STAGES[number],
  z.ZodNumber
>);

export const RoleOut = z.object({
  id: z.number().int(),
  job: z.object({
    id: z.number().int(),
    title: z.string(),
    location: z.string().nullable(),
    private: z.boolean(),
  }),
  company: z.object({ id: z.number().int(), name: z.string(), domain: z.string().nullable() }),
  created_at: z.string(),
  pipeline: Pipeline,
});

export const CandidateOut = z.object({
  id: z.number().int(),
  contact: z.object({
    id: z.number().int(),
    full_name: z.string(),
    email: z.string(),
    title: z.string().nullable(),
    company: z.string(),
  }),
  stage: z.enum(STAGES),
  outreach_status: z.string().nullable(),
  updated_at: z.string(),
});
