/**
 * The funnel as CSV (the export) and the rates between stages (the page).
 * Pure: it gets a funnel and returns text or numbers.
 */
import type { Interval } from "./ab_stats.ts";

export const FUNNEL_WINDOWS = ["7d", "30d", "90d", "all"] as const;
export type FunnelWindow = (typeof FUNNEL_WINDOWS)[number];

/** The stages of a funnel, in order (docs/campaigns.md says what each counts). */
export const STAGES = [
  "queued",
  "sent",
  "delivered",
  "opened",
  "clicked",
  "replied",
  "bounced",
  "unsubscribed",
] as const;
export type Stage = (typeof STAGES)[number];

export interface FunnelRow {
  variant: string | null;
  queued: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  bounced: number;
  unsubscribed: number;
  reply_rate: Interval;
}

export interface FunnelLike {
  window: string;
  steps: { step_no: number; variants: FunnelRow[]; winner: null | { variant: string; p_value: number } }[];
}

const COLUMNS = [
  "window",
  "step_no",
  "variant",
  ...STAGES,
  "reply_rate",
  "reply_rate_low",
  "reply_rate_high",
  "winner",
];

/** One line per step and variant; rates with four decimals; RFC 4180 line ends. */
export function funnelCsv(funnel: FunnelLike): string {
  const lines = [COLUMNS.join(",")];
  for (const step of funnel.steps) {
    for (const v of step.variants) {
      lines.push([
        funnel.window,
        step.step_no,
        v.variant ?? "",
        ...STAGES.map((stage) => v[stage]),
        v.reply_rate.value.toFixed(4),
        v.reply_rate.low.toFixed(4),
        v.reply_rate.high.toFixed(4),
        step.winner && step.winner.variant === v.variant ? "yes" : "",
      ].join(","));
    }
  }
  return lines.join("\r\n") + "\r\n";
}

/** `part / whole` as a percentage with one decimal, or "–" when there is no whole. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : "–";
}
