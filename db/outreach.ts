/**
 * Enrollment's queries and the outreach timeline of an application. The
 * enrollment itself (checks, rendering, deliverability, plan limits) is
 * services/sequences/enrollment.ts; these run in its transaction, as the user
 * (`withUser`), so row-level security keeps every user to their own
 * applications and outreach.
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { HttpError } from "@/core/http_error.ts";
import { randomToken } from "@/core/crypto.ts";
import type { RenderedStep, StepOverride } from "@/core/enrollment_render.ts";
import type { SequenceStep } from "./sequences.ts";
import { getSendingState, withWaiting } from "./outreach_waiting.ts";
import type { Waiting } from "@/core/waiting_reason.ts";

export type { StepOverride };

/** One outreach row as the API shows it (contract §3: the timeline's columns). */
export interface OutreachView {
  id: number;
  application_id: number;
  contact_id: number;
  contact_name: string;
  contact_email: string;
  sequence_instance_id: number | null;
  step_no: number;
  subject: string;
  body: string;
  from_mailbox: string;
  status: string;
  queued_at: Date;
  due_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  opened_at: Date | null;
  clicked_at: Date | null;
  replied_at: Date | null;
  link_clicks: number;
  last_error: string | null;
  /** The A/B variant this row got, or null for a step without variants. */
  variant: string | null;
  /** Set while the user has paused this contact's sequence. */
  paused_at: Date | null;
  send_window: boolean;
  /** The dispatcher is sending it right now. */
  sending: boolean;
  /** Held back by a real-mail rule (issue 11): the source of `earlier_step`, `follow_up_mailbox`, `auto_reply_delay`. */
  hold_reason: string | null;
}

/** A timeline row: why it waits, and when it should go out (core/waiting_reason.ts). */
export type TimelineItem = OutreachView & Waiting;

export interface EnrollInput {
  contact_id: number;
  sequence_id: number;
  variables?: Record<string, string>;
  send_window?: boolean;
  confirm_risky?: boolean;
  overrides?: StepOverride[];
}

/** One email of a preview: what would be queued, and when it would be due. */
export interface PreviewItem {
  step_no: number;
  subject: string;
  body: string;
  due_at: Date;
}

const viewColumns = (tx: Tx) =>
  tx`o.id, o.application_id, o.contact_id, c.full_name as contact_name, c.email as contact_email,
     o.sequence_instance_id, o.step_no, o.subject, o.body, o.from_mailbox, o.status, o.queued_at, o.due_at,
     o.sent_at, o.delivered_at, o.opened_at, o.clicked_at, o.replied_at, o.link_clicks, o.last_error, o.variant,
     o.paused_at, o.send_window, (o.send_started_at is not null) as sending, o.hold_reason`;

/** The application, contact and sequence an enrollment names, as the caller sees them (undefined: not theirs). */
export interface EnrollmentFacts {
  application?: {
    id: number;
    user_id: number;
    role: string;
    company: string;
    my_name: string | null;
    metric: string | null;
  };
  contact?: {
    id: number;
    first_name: string | null;
    last_name: string | null;
    full_name: string;
    /** This row or another with the same address (any case) opted out. */
    opted_out: boolean;
    bounce_count: number;
  };
  sequence?: { id: number; steps: SequenceStep[]; auto_promote: boolean };
}

/** Reads what an enrollment needs, in the caller's transaction; each part undefined when not visible. */
export async function getEnrollmentFacts(
  tx: Tx,
  applicationId: number,
  contactId: number,
  sequenceId: number,
): Promise<EnrollmentFacts> {
  const [application] = await tx<NonNullable<EnrollmentFacts["application"]>[]>`
    select a.id, a.user_id, j.title as role, co.name as company, u.full_name as my_name,
      (select r.key_metrics->>0 from resumes r where r.user_id = a.user_id) as metric
    from applications a
    join jobs j on j.id = a.job_id
    join companies co on co.id = j.company_id
    join users u on u.id = a.user_id
    where a.id = ${applicationId}::int`;
  if (!application) return {};
  const [contact] = await tx<NonNullable<EnrollmentFacts["contact"]>[]>`
    select c.id, c.first_name, c.last_name, c.full_name, c.bounce_count,
      (coalesce(c.opted_out, false)
        or exists (select 1 from contacts x where lower(x.email) = lower(c.email) and x.opted_out))
        as opted_out
    from contacts c where c.id = ${contactId}::int`;
  if (!contact) return { application };
  const [sequence] = await tx<NonNullable<EnrollmentFacts["sequence"]>[]>`
    select id, steps, auto_promote from sequence_templates where id = ${sequenceId}::int`;
  return { application, contact, sequence };
}

/** One enrollment at a time per (application, contact), until the transaction ends: the live-sequence check cannot race. */
export async function lockEnrollment(tx: Tx, applicationId: number, contactId: number): Promise<void> {
  await tx`select pg_advisory_xact_lock(${applicationId}::int, ${contactId}::int)`;
}

/** 409 when the contact still has queued emails from this application (one live sequence at a time). */
export async function assertNotEnrolled(tx: Tx, applicationId: number, contactId: number): Promise<void> {
  const [live] = await tx`
    select 1 from outreach
    where application_id = ${applicationId}::int and contact_id = ${contactId}::int and status = 'queued'
    limit 1`;
  if (live) {
    throw new HttpError(409, "the contact is already in a live sequence for this application", {
      code: "already_enrolled",
    });
  }
}

/** The database's clock (the start of the transaction), which due times are counted from. */
export async function transactionNow(tx: Tx): Promise<Date> {
  const [{ now }] = await tx<{ now: Date }[]>`select now() as now`;
  return now;
}

/**
 * Queues one row per rendered step, as one new sequence instance, each due at `now()` plus its step's delay
 * and with its own tracking and unsubscribe tokens; answers the rows in step order.
 */
export async function queueEnrollment(
  tx: Tx,
  enrollment: {
    applicationId: number;
    contactId: number;
    sequenceId: number;
    sendWindow: boolean;
    rendered: RenderedStep<SequenceStep>[];
  },
): Promise<OutreachView[]> {
  const { applicationId, contactId, sequenceId } = enrollment;
  const [{ instance }] = await tx<{ instance: number }[]>`
    select nextval('outreach_sequence_instance_seq')::int as instance`;
  const rows = enrollment.rendered.map(({ step, variant, subject, body, livepage_id }) => ({
    application_id: applicationId,
    contact_id: contactId,
    sequence_instance_id: instance,
    sequence_template_id: sequenceId,
    step_no: step.step_no,
    variant,
    livepage_id,
    subject,
    body,
    delay_hours: step.delay_hours,
    outreach_token: randomToken(16),
    unsubscribe_token: randomToken(24),
  }));
  await tx`
    insert into outreach (application_id, contact_id, sequence_instance_id, sequence_template_id, step_no,
                          variant, livepage_id, subject, body, from_mailbox, status, queued_at, due_at,
                          send_window, outreach_token, unsubscribe_token)
    select r.application_id, r.contact_id, r.sequence_instance_id, r.sequence_template_id, r.step_no,
           r.variant, r.livepage_id, r.subject, r.body, '', 'queued', now(),
           now() + r.delay_hours * interval '1 hour', ${enrollment.sendWindow}::boolean, r.outreach_token,
           r.unsubscribe_token
    from jsonb_to_recordset(${tx.json(rows)}::jsonb) as r(
      application_id int, contact_id int, sequence_instance_id int, sequence_template_id int, step_no int,
      variant varchar, livepage_id int, subject varchar, body text, delay_hours float8, outreach_token varchar,
      unsubscribe_token varchar)`;
  return await tx<OutreachView[]>`
    select ${viewColumns(tx)} from outreach o join contacts c on c.id = o.contact_id
    where o.sequence_instance_id = ${instance}::int and o.application_id = ${applicationId}::int
    order by o.step_no`;
}

/** The application's outreach, oldest first (404 when the application is not the caller's). */
export async function listOutreachForApplication(
  sql: Sql,
  userId: number,
  applicationId: number,
): Promise<TimelineItem[]> {
  return await withUser(sql, userId, async (tx) => {
    const [app] = await tx`select id from applications where id = ${applicationId}::int`;
    if (!app) throw new HttpError(404, "application not found");
    const rows = await tx<OutreachView[]>`
      select ${viewColumns(tx)} from outreach o join contacts c on c.id = o.contact_id
      where o.application_id = ${applicationId}::int
      order by o.queued_at, o.sequence_instance_id, o.step_no, o.id`;
    return rows.some((r) => r.status === "queued")
      ? withWaiting(rows, await getSendingState(sql, tx))
      : rows.map((r) => ({ ...r, waiting_reason: null, expected_at: null }));
  });
}
