/**
 * The outreach timeline of one application: every step of every enrolled
 * contact, oldest first, with what happened to it, and for a queued step why
 * it has not gone out yet and when it should (core/waiting_reason.ts). Each
 * contact with queued steps gets pause/resume/stop buttons (forms: they work
 * without JavaScript). Server-only: `/applications/:id` renders it.
 */
import type { TimelineItem } from "@/db/outreach.ts";
import type { InboundView } from "@/db/inbound_messages.ts";
import { localDateTime } from "@/core/local_time.ts";
import { WAITING_TEXT } from "@/core/waiting_reason.ts";
import CsrfField from "./CsrfField.tsx";

const STATUS_TEXT: Record<string, string> = {
  queued: "Scheduled",
  sent: "Sent",
  delivered: "Delivered",
  bounced: "Bounced",
  replied: "Replied",
  failed: "Failed",
  canceled: "Canceled",
};

/** The most telling moment of a step, as "what · when". */
function moment(item: TimelineItem, tz?: string | null): string {
  const when = (v: Date | string | null) => localDateTime(v, tz);
  if (item.replied_at) return `replied ${when(item.replied_at)}`;
  if (item.clicked_at) return `clicked ${item.link_clicks}× · first ${when(item.clicked_at)}`;
  if (item.opened_at) return `opened ${when(item.opened_at)}`;
  if (item.delivered_at) return `delivered ${when(item.delivered_at)}`;
  if (item.sent_at) return `sent ${when(item.sent_at)}`;
  if (item.status === "queued" && item.sending) return "going out now";
  if (item.status === "queued") return item.expected_at ? `expected ${when(item.expected_at)}` : "";
  return "";
}

/** Pause, resume and stop for each contact that still has steps to send. */
function Controls({ items, csrfToken }: { items: TimelineItem[]; csrfToken?: string }) {
  const contacts = new Map<number, { name: string; paused: boolean }>();
  for (const i of items) {
    if (i.status !== "queued" || i.sending) continue;
    const c = contacts.get(i.contact_id) ?? { name: i.contact_name, paused: false };
    c.paused ||= i.paused_at !== null;
    contacts.set(i.contact_id, c);
  }
  if (contacts.size === 0) return null;
  return (
    <ul class="sequence-controls">
      {[...contacts].map(([id, c]) => (
        <li key={id} class="actions">
          <span>
            Sequence to {c.name}: {c.paused ? "paused" : "running"}
          </span>
          <form method="post" class="inline-form">
            <CsrfField token={csrfToken} />
            <input type="hidden" name="contact_id" value={String(id)} />
            <button
              type="submit"
              name="action"
              value={c.paused ? "resume" : "pause"}
              class="button-small button-secondary"
            >
              {c.paused ? "Resume" : "Pause"}
            </button>
          </form>
          <form
            method="post"
            class="inline-form"
            data-confirm={`Stop the emails to ${c.name} that are not sent yet?`}
          >
            <CsrfField token={csrfToken} />
            <input type="hidden" name="contact_id" value={String(id)} />
            <button type="submit" name="action" value="stop" class="button-small button-danger">Stop</button>
          </form>
        </li>
      ))}
    </ul>
  );
}

/** One inbound message under the step it answered: what it was, in a few words (issue 11). */
export function inboundText(m: InboundView, timezone?: string | null): string {
  const moved = m.delayed_until ? `; next step moved to ${localDateTime(m.delayed_until, timezone)}` : "";
  switch (m.kind) {
    case "auto_reply":
      return m.return_date ? `auto-reply: away until ${m.return_date}${moved}` : `auto-reply${moved}`;
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
  { items, timezone, csrfToken, inbound = [] }: {
    items: TimelineItem[];
    timezone?: string | null;
    csrfToken?: string;
    /** Inbound mail of the application, shown under the step it answered. */
    inbound?: InboundView[];
  },
) {
  if (!items.length) return <p class="muted">No outreach yet.</p>;
  return (
    <>
      <Controls items={items} csrfToken={csrfToken} />
      <ol class="timeline" aria-label="Outreach timeline">
        {items.map((item) => (
          <li key={item.id} class={`timeline-item status-${item.status}`} data-status={item.status}>
            <p class="meta">
              <strong>Step {item.step_no}</strong>
              <span>
                to <a href={`/contacts/${item.contact_id}`}>{item.contact_name}</a>{" "}
                &lt;{item.contact_email}&gt;
              </span>
              <span class="status">{STATUS_TEXT[item.status] ?? item.status}</span>
              <span>{moment(item, timezone)}</span>
              {item.from_mailbox && <span class="muted">from {item.from_mailbox}</span>}
            </p>
            {item.waiting_reason && (
              <p class="waiting" data-waiting-reason={item.waiting_reason}>
                Not sent yet: {WAITING_TEXT[item.waiting_reason]}
                {item.expected_at ? `; expected ${localDateTime(item.expected_at, timezone)}.` : "."}
              </p>
            )}
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
                {inboundText(m, timezone)} · {localDateTime(m.received_at, timezone)}
                {m.subject && <span class="muted">“{m.subject}”</span>}
              </p>
            ))}
          </li>
        ))}
      </ol>
    </>
  );
}
