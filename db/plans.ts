/**
 * Plan limits and usage (issue 14, issue 9 item 7). The limits live in one table, `plan_limits`
 * (migration 0065); the rules that read them are SQL functions of the same migration, shared by the
 * enrollment (`reserve_enrollment`), the dispatcher's claim and the timeline (`sending_block`), and the
 * send record (`charge_send` trigger on `send_charges`).
 */
import type { Sql, Tx } from "./client.ts";

export type Tier = "free" | "pro" | "teams" | "enterprise";

export interface PlanLimits {
  tier: Tier;
  /** null: no limit. */
  emails_per_month: number | null;
  live_sequences: number | null;
  contacts_per_import: number | null;
  daily_sends: number | null;
  daily_enrollments: number | null;
}

/** The whole plan table, in tier order. */
export async function listPlanLimits(sql: Sql): Promise<PlanLimits[]> {
  return await sql<PlanLimits[]>`
    select tier, emails_per_month, live_sequences, contacts_per_import, daily_sends, daily_enrollments
    from plan_limits
    order by array_position(array['free','pro','teams','enterprise']::varchar[], tier)`;
}

/** The plan of a user with its limits, and what the user used. */
export interface PlanUsage {
  limits: PlanLimits;
  credits_remaining: number;
  email_verified: boolean;
  sends_today: number;
  enrollments_today: number;
  sends_this_month: number;
  live_sequences: number;
  /** Why queued steps wait, if they do: 'unverified', 'plan_limit' or null. */
  sending_block: "unverified" | "plan_limit" | null;
}

export async function getPlanUsage(sql: Sql, userId: number): Promise<PlanUsage | undefined> {
  const [row] = await sql<(PlanLimits & Omit<PlanUsage, "limits">)[]>`
    select p.tier, p.emails_per_month, p.live_sequences, p.contacts_per_import, p.daily_sends, p.daily_enrollments,
      coalesce(u.credits_remaining, 0) as credits_remaining, coalesce(u.email_verified, false) as email_verified,
      coalesce((select d.sends from usage_daily d where d.user_id = u.id and d.day = (now() at time zone 'UTC')::date), 0)
        as sends_today,
      coalesce((select d.enrollments from usage_daily d where d.user_id = u.id
                and d.day = (now() at time zone 'UTC')::date), 0) as enrollments_today,
      coalesce((select sum(d.sends) from usage_daily d where d.user_id = u.id
                and d.day >= date_trunc('month', now() at time zone 'UTC')::date), 0)::int as sends_this_month,
      (select count(distinct o.sequence_instance_id) from outreach o join applications a on a.id = o.application_id
        where a.user_id = u.id and o.status = 'queued')::int as live_sequences,
      sending_block(u.id) as sending_block
    from users u join plan_limits p on p.tier = u.subscription_tier
    where u.id = ${userId}::int`;
  if (!row) return undefined;
  const {
    tier,
    emails_per_month,
    live_sequences,
    contacts_per_import,
    daily_sends,
    daily_enrollments,
    ...usage
  } = row;
  return {
    ...usage,
    live_sequences: row.live_sequences,
    limits: { tier, emails_per_month, live_sequences, contacts_per_import, daily_sends, daily_enrollments },
  };
}

/** Inside the enrollment transaction: counts it, or answers why it is refused (see `reserve_enrollment`). */
export async function reserveEnrollment(tx: Tx): Promise<string | null> {
  const [row] = await tx<{ reason: string | null }[]>`select reserve_enrollment() as reason`;
  return row.reason;
}

/** Admin: sets a user's plan and/or credit balance; answers the user with both, or undefined. */
export async function setUserPlan(
  sql: Sql,
  userId: number,
  input: { subscription_tier?: Tier; credits_remaining?: number },
) {
  const [row] = await sql<
    {
      id: number;
      email: string;
      full_name: string | null;
      mode: "job_seeker" | "recruiter";
      subscription_tier: string;
      email_verified: boolean;
      created_at: Date;
      last_login: Date | null;
      timezone: string | null;
      credits_remaining: number | null;
      stripe_customer_id: string | null;
    }[]
  >`
    update users set subscription_tier = coalesce(${
    input.subscription_tier ?? null
  }::varchar, subscription_tier),
                     credits_remaining = coalesce(${input.credits_remaining ?? null}::int, credits_remaining)
    where id = ${userId}::int
    returning id, email, full_name, mode, subscription_tier, coalesce(email_verified, false) as email_verified,
              created_at, last_login, timezone, credits_remaining, stripe_customer_id`;
  return row;
}
