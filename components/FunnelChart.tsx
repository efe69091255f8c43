/**
 * One step's funnel as inline SVG bars: a row per stage, a bar per variant, the
 * count at the bar's end. Server-rendered (no script), drawn in a 360-unit-wide
 * view box so it stays legible on a 390 px phone, with the numbers in a table
 * for screen readers and for copying.
 */
import type { FunnelRow } from "@/core/funnel_format.ts";
import { percent, STAGES } from "@/core/funnel_format.ts";

/** Dark enough for 4.5:1 against white text-free bars and a white page. */
const COLORS = ["#1d4ed8", "#b91c1c", "#15803d", "#7e22ce"];

export default function FunnelChart({ stepNo, variants }: { stepNo: number; variants: FunnelRow[] }) {
  const max = Math.max(1, ...variants.map((v) => v.queued));
  const rowHeight = 10 * variants.length + 8;
  const width = 360, label = 92, right = 40;
  const height = STAGES.length * rowHeight + 4;
  const name = (v: FunnelRow) => v.variant ? `Variant ${v.variant}` : "All";
  return (
    <figure class="chart funnel">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Step ${stepNo} funnel: ` +
          variants.map((v) => `${name(v)}: ${STAGES.map((s) => `${v[s]} ${s}`).join(", ")}`).join("; ")}
      >
        {STAGES.map((stage, i) => (
          <g key={stage}>
            <text x={0} y={i * rowHeight + 4 + 5 * variants.length + 4} font-size="11" fill="#1f2328">
              {stage}
            </text>
            {variants.map((v, k) => {
              const w = ((width - label - right) * v[stage]) / max;
              const y = i * rowHeight + 4 + k * 10;
              return (
                <g key={k}>
                  <rect x={label} y={y} width={Math.max(w, 0.5)} height={8} fill={COLORS[k % COLORS.length]}>
                    <title>{`${name(v)}, ${stage}: ${v[stage]}`}</title>
                  </rect>
                  <text x={label + w + 3} y={y + 7.5} font-size="9" fill="#1f2328">{v[stage]}</text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      {variants.length > 1 && (
        <figcaption>
          {variants.map((v, k) => (
            <span key={k} class="legend">
              <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
                <rect width="10" height="10" fill={COLORS[k % COLORS.length]} />
              </svg>{" "}
              {name(v)}
            </span>
          ))}
        </figcaption>
      )}
      {/* focusable, so a keyboard can scroll it when it is wider than a phone */}
      <div class="table-scroll" tabIndex={0} role="region" aria-label={`Step ${stepNo}: counts and rates`}>
        <table>
          <caption class="sr-only">Step {stepNo}: counts and rates</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              {variants.map((v, k) => <th key={k} scope="col">{name(v)}</th>)}
            </tr>
          </thead>
          <tbody>
            {STAGES.map((stage) => (
              <tr key={stage}>
                <th scope="row">{stage}</th>
                {variants.map((v, k) => (
                  <td key={k}>
                    {v[stage]}
                    {stage !== "queued" && stage !== "sent" && (
                      <span class="muted">{` (${percent(v[stage], v.sent)} of sent)`}</span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
