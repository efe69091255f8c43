/**
 * Sequence funnels, read from the rollup that migration 0080's triggers keep
 * (`outreach_funnel_daily`), never from outreach itself: a user's funnel is a
 * few dozen cells whatever the size of the outreach table.
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { declareWinner, type Interval, wilson } from "@/core/ab_stats.ts";
import { type FunnelWindow, type Stage, STAGES } from "@/core/funnel_format.ts";

export type StageCounts = Record<Stage, number>;

export interface VariantFunnel extends StageCounts {
  variant: string | null;
  /** Human replies over sent, with its 95% Wilson interval. */
  reply_rate: Interval;
}

export interface StepFunnel {
  step_no: number;
  variants: VariantFunnel[];
  winner: null | { variant: string; p_value: number };
  /** Why there is no winner (`not_enough_data`, `no_significant_difference`, `single_variant`), or null. */
  verdict: string;
}

export interface Funnel {
  window: FunnelWindow;
  steps: StepFunnel[];
}

/** Replies per cohort day over the window, for the "replies over time" chart. */
export interface DailyReplies {
  day: string;
  sent: number;
  replied: number;
}

type Cell = StageCounts & { step_no: number; variant: string };

/** The first cohort day inside a window, or null for all time. */
export function windowStart(window: FunnelWindow, now = new Date()): string | null {
  if (window === "all") return null;
  const days = Number(window.slice(0, -1));
  const start = new Date(now.getTime() - (days - 1) * 86_400_000);
  return start.toISOString().slice(0, 10);
}

/** Cells summed per (step, variant), in step and variant order. */
function shape(cells: Cell[], window: FunnelWindow): Funnel {
  const byStep = new Map<number, VariantFunnel[]>();
  for (const cell of cells) {
    const counts = Object.fromEntries(STAGES.map((s) => [s, Number(cell[s])])) as StageCounts;
    const variant: VariantFunnel = {
      variant: cell.variant === "" ? null : cell.variant,
      ...counts,
      reply_rate: wilson(counts.replied, counts.sent),
    };
    byStep.set(cell.step_no, [...(byStep.get(cell.step_no) ?? []), variant]);
  }
  const steps = [...byStep.entries()].sort(([a], [b]) => a - b).map(([step_no, variants]) => {
    const verdict = declareWinner(
      variants.filter((v) => v.variant !== null).map((v) => ({
        variant: v.variant!,
        sent: v.sent,
        replied: v.replied,
      })),
    );
    return { step_no, variants, winner: verdict.winner, verdict: verdict.reason };
  });
  return { window, steps };
}
/** A user's funnel of one of their sequences (or of a platform template they used), under RLS. */
export async function getSequenceFunnel(
  sql: Sql,
  userId: number,
  sequenceId: number,
  window: FunnelWindow,
  now = new Date(),
): Promise<Funnel> {
  const since = windowStart(window, now);
  const cells = await withUser(sql, userId, (tx) =>
    tx<Cell[]>`
      select step_no, variant,
        sum(queued)::int as queued, sum(sent)::int as sent, sum(delivered)::int as delivered,
        sum(opened)::int as opened, sum(clicked)::int as clicked, sum(replied)::int as replied,
        sum(bounced)::int as bounced, sum(unsubscribed)::int as unsubscribed
      from outreach_funnel_daily
      where user_id = ${userId}::int and sequence_template_id = ${sequenceId}::int
        and (${since}::date is null or day >= ${since}::date)
      group by step_no, variant
      order by step_no, variant`);
  return shape(cells, window);
}

/** The admin's aggregate of one template over every user (owner pool, no RLS), from the per-template rollup. */
export async function getTemplateFunnel(
  sql: Sql,
  sequenceId: number,
  window: FunnelWindow,
  now = new Date(),
): Promise<Funnel> {
  const since = windowStart(window, now);
  const cells = await sql<Cell[]>`
    select step_no, variant,
      sum(queued)::int8 as queued, sum(sent)::int8 as sent, sum(delivered)::int8 as delivered,
      sum(opened)::int8 as opened, sum(clicked)::int8 as clicked, sum(replied)::int8 as replied,
      sum(bounced)::int8 as bounced, sum(unsubscribed)::int8 as unsubscribed
    from outreach_funnel_template_daily
    where sequence_template_id = ${sequenceId}::int and (${since}::date is null or day >= ${since}::date)
    group by step_no, variant
    order by step_no, variant`;
  return shape(cells, window);
}

/** Sends and replies per cohort day of a user's sequence over the window. */
export async function getDailyReplies(
  sql: Sql,
  userId: number,
  sequenceId: number,
  window: FunnelWindow,
  now = new Date(),
): Promise<DailyReplies[]> {
  const since = windowStart(window, now);
  return await withUser(sql, userId, (tx) =>
    tx<DailyReplies[]>`
      select to_char(day, 'YYYY-MM-DD') as day, sum(sent)::int as sent, sum(replied)::int as replied
      from outreach_funnel_daily
      where user_id = ${userId}::int and sequence_template_id = ${sequenceId}::int
        and (${since}::date is null or day >= ${since}::date)
      group by day order by day`);
}

/** Cells where the rollup and a full recount differ: empty unless a write bypassed the triggers. */
export async function checkFunnelDrift(sql: Sql): Promise<{ cells: number }> {
  const [row] = await sql<{ cells: number }[]>`select count(*)::int as cells from check_outreach_funnel()`;
  return row;
}

/**
 * The declared winner of each step of a sequence, over all of the user's sends
 * (automatic promotion: new enrollments of that step get the winner). Runs in
 * the caller's transaction, under its RLS context.
 */
export async function promotedVariants(
  tx: Tx,
  userId: number,
  sequenceId: number,
): Promise<Map<number, string>> {
  const rows = await tx<{ step_no: number; variant: string; sent: number; replied: number }[]>`
    select step_no, variant, sum(sent)::int as sent, sum(replied)::int as replied
    from outreach_funnel_daily
    where user_id = ${userId}::int and sequence_template_id = ${sequenceId}::int and variant <> ''
    group by step_no, variant`;
  const winners = new Map<number, string>();
  for (const stepNo of new Set(rows.map((r) => r.step_no))) {
    const verdict = declareWinner(rows.filter((r) => r.step_no === stepNo));
    if (verdict.winner) winners.set(stepNo, verdict.winner.variant);
  }
  return winners;
}
