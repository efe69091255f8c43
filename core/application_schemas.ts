/** zod schemas of the applications API. The pipeline itself (statuses, moves) is core/pipeline.ts. */
import { z } from "zod";
import { STATUSES } from "./pipeline.ts";

export { allowedMoves, type ApplicationStatus, canMove, STATUSES } from "./pipeline.ts";

const Status = z.enum(STATUSES, { error: `must be one of ${STATUSES.join(", ")}` });

export const InterviewDate = z.strictObject({
  at: z.iso.datetime({ offset: true, error: "must be an ISO datetime" }),
  kind: z.string().trim().max(100, "must be at most 100 characters").optional(),
  notes: z.string().max(2000, "must be at most 2000 characters").optional(),
});

export const OfferDetails = z.strictObject({
  salary: z.number().int().min(0).max(100_000_000).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be a 3-letter currency code").optional(),
  bonus: z.number().int().min(0).max(100_000_000).optional(),
  equity: z.string().max(200, "must be at most 200 characters").optional(),
  start_date: z.iso.date({ error: "must be an ISO date" }).optional(),
  deadline: z.iso.date({ error: "must be an ISO date" }).optional(),
  notes: z.string().max(2000, "must be at most 2000 characters").optional(),
});

export const CreateApplication = z.strictObject({
  job_id: z.number().int().min(1, "must be a job id").max(2_147_483_647, "must be a job id"),
  status: Status.optional(),
});

export const UpdateApplication = z.strictObject({
  status: Status.optional(),
  notes: z.string().max(20_000, "must be at most 20000 characters").nullable().optional(),
  interview_dates: z.array(InterviewDate).max(50, "at most 50 items").optional(),
  offer_details: OfferDetails.optional(),
}).refine((v) => Object.keys(v).length > 0, {
  message: "give at least one of status, notes, interview_dates, offer_details",
});

export const ListApplicationsQuery = z.strictObject({ status: Status.optional() });

export type UpdateApplicationInput = z.output<typeof UpdateApplication>;

export const ApplicationOut = z.object({
  id: z.number(),
  job_id: z.number(),
  status: Status,
  match_score: z.number().nullable(),
  applied_at: z.string().nullable(),
  last_action_at: z.string().nullable(),
  notes: z.string().nullable(),
  interview_dates: z.array(InterviewDate),
  offer_details: OfferDetails,
  reply_status: z.string().nullable(),
  job: z.object({ title: z.string(), company: z.object({ id: z.number(), name: z.string() }) }),
});
