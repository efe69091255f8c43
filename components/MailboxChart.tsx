/**
 * Sends per day per mailbox over the last days, as an inline SVG line chart (no script, no CDN), with a
 * legend and a data table fallback for screen readers.
 */
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"];

export interface DailySends {
  email: string;
  day: string;
  sent: number;
}

export default function MailboxChart({ rows }: { rows: DailySends[] }) {
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const emails = [...new Set(rows.map((r) => r.email))];
  if (!days.length || !emails.length) return <p class="muted">No mailboxes yet.</p>;
  const max = Math.max(1, ...rows.map((r) => r.sent));
  const width = 640, height = 220, left = 40, bottom = 30, top = 10, right = 10;
  const x = (i: number) => left + (days.length === 1 ? 0 : (i * (width - left - right)) / (days.length - 1));
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const sent = (email: string, day: string) =>
    rows.find((r) => r.email === email && r.day === day)?.sent ?? 0;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Emails sent per day per mailbox, last ${days.length} days`}
        id="mailbox-chart"
      >
        <line x1={left} y1={y(0)} x2={width - right} y2={y(0)} stroke="#999" />
        <line x1={left} y1={top} x2={left} y2={y(0)} stroke="#999" />
        <text x={left - 6} y={y(max) + 4} text-anchor="end" font-size="11">{max}</text>
        <text x={left - 6} y={y(0) + 4} text-anchor="end" font-size="11">0</text>
        <text x={x(0)} y={height - 8} font-size="11">{days[0].slice(5)}</text>
        <text x={x(days.length - 1)} y={height - 8} text-anchor="end" font-size="11">
          {days.at(-1)!.slice(5)}
        </text>
        {emails.map((email, k) => (
          <polyline
            key={email}
            fill="none"
            stroke={COLORS[k % COLORS.length]}
            stroke-width="2"
            points={days.map((d, i) => `${x(i).toFixed(1)},${y(sent(email, d)).toFixed(1)}`).join(" ")}
          >
            <title>{email}</title>
          </polyline>
        ))}
      </svg>
      <figcaption>
        {emails.map((email, k) => (
          <span key={email} class="legend">
            <span aria-hidden="true" style={`color:${COLORS[k % COLORS.length]}`}>■</span> {email}
            {" "}
          </span>
        ))}
      </figcaption>
      <details>
        <summary>The numbers</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Mailbox</th>
              {days.map((d) => <th key={d} scope="col">{d.slice(5)}</th>)}
            </tr>
          </thead>
          <tbody>
            {emails.map((email) => (
              <tr key={email}>
                <th scope="row">{email}</th>
                {days.map((d) => <td key={d}>{sent(email, d)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
