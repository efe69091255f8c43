/**
 * Sends and human replies per cohort day as inline SVG columns: replies drawn
 * over sends, so the reply share of each day reads at a glance. No script; a
 * table holds the same numbers.
 */
export interface DayPoint {
  day: string;
  sent: number;
  replied: number;
}

export default function RepliesChart({ days }: { days: DayPoint[] }) {
  if (!days.length) return <p class="muted">Nothing sent in this window yet.</p>;
  const max = Math.max(1, ...days.map((d) => d.sent));
  const width = 360, height = 150, left = 28, bottom = 20, top = 8;
  const slot = (width - left) / days.length;
  const bar = Math.max(1, Math.min(24, slot * 0.7));
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Sends and replies per day, ${days[0].day} to ${days.at(-1)!.day}`}
      >
        <line x1={left} y1={y(0)} x2={width} y2={y(0)} stroke="#57606a" />
        <text x={left - 4} y={y(max) + 4} text-anchor="end" font-size="10" fill="#1f2328">{max}</text>
        <text x={left - 4} y={y(0) + 4} text-anchor="end" font-size="10" fill="#1f2328">0</text>
        {days.map((d, i) => {
          const x = left + i * slot + (slot - bar) / 2;
          return (
            <g key={d.day}>
              <rect x={x} y={y(d.sent)} width={bar} height={y(0) - y(d.sent)} fill="#9ca3af">
                <title>{`${d.day}: ${d.sent} sent`}</title>
              </rect>
              <rect x={x} y={y(d.replied)} width={bar} height={y(0) - y(d.replied)} fill="#15803d">
                <title>{`${d.day}: ${d.replied} replied`}</title>
              </rect>
            </g>
          );
        })}
        <text x={left} y={height - 6} font-size="10" fill="#1f2328">{days[0].day.slice(5)}</text>
        <text x={width} y={height - 6} text-anchor="end" font-size="10" fill="#1f2328">
          {days.at(-1)!.day.slice(5)}
        </text>
      </svg>
      <figcaption>
        <span class="legend">
          <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
            <rect width="10" height="10" fill="#9ca3af" />
          </svg>{" "}
          sent
        </span>
        <span class="legend">
          <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
            <rect width="10" height="10" fill="#15803d" />
          </svg>{" "}
          replied
        </span>
      </figcaption>
    </figure>
  );
}
