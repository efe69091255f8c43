/**
 * The outreach timeline of one application: every step of every enrolled
 * contact, oldest first, with what happened to it. Server-only: the product's
 * `/applications/:id` renders it with `listOutreachForApplication`.
 */
import type { OutreachView } from "../db/outreach.ts";
import type { InboundView } from "../db/inbound_messages.ts";

const STATUS_TEXT: Record<string, string> = {
  queued: "Scheduled",
  sent: "Sent",
  delivered: "Delivered",
  bounced: "Bounced",
  replied: "Replied",
  failed: "Failed",
  canceled: "Canceled",
};

function when(value: Date | string | null): string {
  if (!value) return "";
  const date = typeof value === "string" ? new Date(value) : value;
  return date.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** The most telling moment of a step, as "what · when". */
function moment(item: OutreachView): string {
  if (item.replied_at) return `replied ${when(item.replied_at)}`;
  if (item.clicked_at) return `clicked ${item.link_clicks}× · first ${when(item.clicked_at)}`;
  if (item.opened_at) return `opened ${when(item.opened_at)}`;
  if (item.delivered_at) return `delivered ${when(item.delivered_at)}`;
  if (item.sent_at) return `sent ${when(item.sent_at)}`;
  if (item.status === "queued") return `due ${when(item.due_at)}`;
  return "";
}

/** One inbound message under the step it answered: what it was, in a few words (issue 11). */
export function inboundText(m: InboundView): string {
  switch (m.kind) {
    case "auto_reply":
      return m.return_date
        ? `auto-reply: away until ${m.return_date}${
          m.delayed_until ? `; next step moved to ${when(m.delayed_until)}` : ""
        }`
        : `auto-reply${m.delayed_until ? `; next step moved to ${when(m.delayed_until)}` : ""}`;
    case "bounce":
      return `bounce notice${
        m.bounce_status ? ` (${m.bounce_status})` : ""
      }: the address does not receive mail`;
    case "human":
      return "reply";
    default:
      return "automated mail (no action)";
  }
}

export default function OutreachTimeline(
  { items, inbound = [] }: { items: OutreachView[]; inbound?: InboundView[] },
) {
  if (!items.length) return <p class="muted">No outreach yet.</p>;
  return (
    <ol class="timeline" aria-label="Outreach timeline">
      {items.map((item) => (
        <li key={item.id} class={`timeline-item status-${item.status}`} data-status={item.status}>
          <p class="meta">
            <strong>Step {item.step_no}</strong>
            <span>to {item.contact_name} &lt;{item.contact_email}&gt;</span>
            <span class="status">{STATUS_TEXT[item.status] ?? item.status}</span>
            <span>{moment(item)}</span>
            {item.from_mailbox && <span class="muted">from {item.from_mailbox}</span>}
          </p>
          <details>
            <summary>{item.subject}</summary>
            <pre class="email-body">{item.body}</pre>
          </details>
          {item.last_error && (item.status === "failed" || item.status === "canceled") && (
            <p class="muted">{item.last_error}</p>
          )}
          {inbound.filter((m) =>
            m.outreach_id === item.id
          ).map((m) => (
            <p key={`in-${m.id}`} class="inbound" data-kind={m.kind}>
              {inboundText(m)} · {when(m.received_at)}
              {m.subject && <span class="muted">“{m.subject}”</span>}
            </p>
          ))}
        </li>
      ))}
    </ol>
  );
}
