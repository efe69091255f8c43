/**
 * The dashboard's "Waiting to go out": the user's queued emails, soonest
 * first, each with why it has not gone out yet and when it should.
 */
import type { QueuedEmail } from "@/db/outreach_waiting.ts";
import type { Waiting } from "@/core/waiting_reason.ts";
import { WAITING_TEXT } from "@/core/waiting_reason.ts";
import { localDateTime } from "@/core/local_time.ts";

export type WaitingEmail = QueuedEmail & Waiting;

export default function WaitingEmails(
  { items, timezone }: { items: WaitingEmail[]; timezone?: string | null },
) {
  if (items.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="waiting-heading">
      <h2 id="waiting-heading">Waiting to go out</h2>
      <ul class="contacts">
        {items.map((e) => (
          <li key={e.id} data-waiting-reason={e.waiting_reason ?? ""}>
            <a href={`/applications/${e.application_id}#outreach`}>
              Email {e.step_no} to {e.contact_name}
            </a>{" "}
            <span class="muted">({e.job_title})</span>: {e.sending
              ? "going out now."
              : e.waiting_reason
              ? `${WAITING_TEXT[e.waiting_reason]}${
                e.expected_at ? `; expected ${localDateTime(e.expected_at, timezone)}` : ""
              }.`
              : `expected ${localDateTime(e.expected_at, timezone)}.`}
          </li>
        ))}
      </ul>
    </section>
  );
}
