/**
 * The answers when a plan limit or the verification gate stops something (402/403 naming the limit), in one
 * place for the enrollment, the contacts import and the pages.
 */
import type { Sql } from "@/db/client.ts";
import { getPlanUsage, type PlanLimits } from "@/db/plans.ts";
import { HttpError } from "@/core/http_error.ts";

/** Plan-limit names as they appear in `plan_limits` and in error answers. */
export type LimitName = Exclude<keyof PlanLimits, "tier">;

const LABELS: Record<LimitName, string> = {
  emails_per_month: "emails a month (then one credit per email)",
  live_sequences: "live sequences at a time",
  contacts_per_import: "contacts per import",
  daily_sends: "emails a day",
  daily_enrollments: "new sequence enrollments a day",
};

/** 403 until the address is verified: outreach is refused, everything else works. */
export function unverifiedError(): HttpError {
  return new HttpError(
    403,
    "verify your email address before sending outreach: follow the link we emailed you " +
      "(POST /api/auth/verify/resend sends a new one)",
    { code: "email_unverified" },
  );
}

/** 402 naming the limit, its value and the plan. */
export function planLimitError(limit: LimitName, limits: PlanLimits): HttpError {
  return new HttpError(
    402,
    `your ${limits.tier} plan allows ${limits[limit]} ${LABELS[limit]}; this limit is reached`,
    { code: "plan_limit", fields: { [limit]: `limit ${limits[limit]} on the ${limits.tier} plan` } },
  );
}

/** Turns a refusal of `reserve_enrollment` into its answer. */
export async function enrollmentRefusal(sql: Sql, userId: number, reason: string): Promise<HttpError> {
  if (reason === "unverified") return unverifiedError();
  const usage = await getPlanUsage(sql, userId);
  if (!usage) return new HttpError(401, "sign in required");
  return planLimitError(reason as LimitName, usage.limits);
}

/** Refuses an import with more rows than the plan's `contacts_per_import`. */
export async function assertImportSize(sql: Sql, userId: number, rows: number): Promise<void> {
  const usage = await getPlanUsage(sql, userId);
  if (!usage) throw new HttpError(401, "sign in required");
  const max = usage.limits.contacts_per_import;
  if (max !== null && rows > max) throw planLimitError("contacts_per_import", usage.limits);
}
