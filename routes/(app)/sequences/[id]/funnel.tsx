/**
 * `/sequences/:id/funnel`: the sequence's funnel per step and variant over a window, the reply rate with its
 * interval, the A/B verdict, and replies over time. Server-rendered SVG, no script needed.
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseId, parseQuery } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { FunnelQuery } from "@/core/funnel_schemas.ts";
import { FUNNEL_WINDOWS, type FunnelWindow } from "@/core/funnel_format.ts";
import { WINNER_RULE } from "@/core/ab_stats.ts";
import { getSequence, type Sequence } from "@/db/sequences.ts";
import { type DailyReplies, type Funnel, getDailyReplies, getSequenceFunnel } from "@/db/funnels.ts";
import FunnelChart from "@/components/FunnelChart.tsx";
import RepliesChart from "@/components/RepliesChart.tsx";

interface Data {
  sequence: Sequence;
  funnel: Funnel;
  days: DailyReplies[];
}

const WINDOW_NAMES: Record<FunnelWindow, string> = {
  "7d": "7 days",
  "30d": "30 days",
  "90d": "90 days",
  all: "All time",
};

const VERDICTS: Record<string, string> = {
  not_enough_data:
    `Not enough data yet: a winner needs ${WINNER_RULE.minSentPerVariant} sends per variant and ` +
    `${WINNER_RULE.minRepliesTotal} replies in all.`,
  no_significant_difference: "No variant is ahead by more than chance would explain yet.",
};

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "sequence");
    const { window } = parseQuery(ctx.url, FunnelQuery);
    const { sql } = ctx.state.app;
    const sequence = await getSequence(sql, user.id, id);
    if (!sequence) throw new HttpError(404, "sequence not found");
    const [funnel, days] = await Promise.all([
      getSequenceFunnel(sql, user.id, id, window),
      getDailyReplies(sql, user.id, id, window),
    ]);
    return ctx.render({ sequence, funnel, days } satisfies Data);
  },
};

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export default function FunnelPage({ data }: PageProps<Data, AppState>) {
  const { sequence, funnel, days } = data;
  return (
    <>
      <p>
        <a href={`/sequences/${sequence.id}`}>← {sequence.name}</a>
      </p>
      <h1>Results: {sequence.name}</h1>
      <nav class="window-links" aria-label="Time window">
        {FUNNEL_WINDOWS.map((w) => (
          <a
            key={w}
            href={`/sequences/${sequence.id}/funnel?window=${w}`}
            aria-current={w === funnel.window ? "page" : undefined}
          >
            {WINDOW_NAMES[w]}
          </a>
        )).flatMap((link, i) => (i ? [" · ", link] : [link]))}
        {" · "}
        <a href={`/api/sequences/${sequence.id}/funnel?window=${funnel.window}&format=csv`} download>
          Download CSV
        </a>
      </nav>
      <p class="muted">
        Counts are of the emails queued in the window. "Opened" counts human opens only (no privacy prefetch
        or scanner), and "replied" human replies only (no out-of-office).
      </p>
      {funnel.steps.length === 0 && <p>Nothing queued from this sequence in this window.</p>}
      {funnel.steps.map((step) => (
        <section key={step.step_no} class="panel">
          <h2>Step {step.step_no}</h2>
          <FunnelChart stepNo={step.step_no} variants={step.variants} />
          <ul>
            {step.variants.map((v) => (
              <li key={v.variant ?? "all"}>
                {v.variant ? `Variant ${v.variant}` : "Reply rate"}: {pct(v.reply_rate.value)} of {v.sent}
                {" "}
                sent{" "}
                <span class="muted">
                  (95% interval {pct(v.reply_rate.low)}–{pct(v.reply_rate.high)})
                </span>
              </li>
            ))}
          </ul>
          {step.variants.length > 1 && (
            <p>
              {step.winner
                ? (
                  <strong>
                    Variant {step.winner.variant} gets more replies (p = {step.winner.p_value.toFixed(4)}).
                  </strong>
                )
                : VERDICTS[step.verdict] ?? ""}
            </p>
          )}
        </section>
      ))}
      <section class="panel">
        <h2>Replies over time</h2>
        <RepliesChart days={days} />
      </section>
    </>
  );
}
