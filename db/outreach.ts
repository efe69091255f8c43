/**
 * Enrolling a contact in a sequence, and the outreach timeline of an
 * application. Both run as the user (`withUser`), so row-level security keeps
 * every user to their own applications and outreach.
 */
import { sql, type Tx, withUser } from "./client.ts";
import { assertDeliverable } from "@/services/deliverability/contact_checks.ts";
import { HttpError } from "@/core/http_error.ts";
import { randomToken } from "@/core/crypto.ts";
import { render, renderSubject, SUBJECT_MAX, type Variables, variablesIn } from "@/core/template.ts";
import type { SequenceStep } from "./sequences.ts";
import { promotedVariants } from "./funnels.ts";
import { livePageOfApplication } from "./live_pages.ts";
import { livePageUrl } from "@/services/live_pages/live_page_view.ts";
import { chooseStepText } from "@/core/variant_assign.ts";
import { followUpSubject } from "@/core/mail/compose.ts";
import { getSendingState, withWaiting } from "./outreach_waiting.ts";
import { reserveEnrollment } from "./plans.ts";
import { enrollmentRefusal } from "@/services/accounts/plans.ts";
import type { Waiting } from "@/core/waiting_reason.ts";
import type { AppContext } from "@/services/app_context.ts";

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

/** The reviewed text of one step, sent instead of the rendered template (contract §6 `overrides`). */
export interface StepOverride {
  step_no: number;
  subject?: string;
  body?: string;
}

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

/** What enrolling needs once checked and rendered (shared by the preview and the enrollment). */
interface PreparedEnrollment {
  contactId: number;
  sequenceId: number;
  rendered: {
    step: SequenceStep;
    variant: string | null;
    subject: string;
    body: string;
    livepage_id: number | null;
  }[];
}

/**
 * Checks an enrollment and renders its emails, as the user: 404 for an
 * application not theirs, 422 for an unknown contact or sequence, an
 * override of a step that does not exist, or a placeholder without a value
 * (all listed), 409 for a contact that opted out, bounced, or is already in a
 * live sequence here. A step the user reviewed (`overrides`) keeps their text
 * as written; only the parts not overridden need their variables.
 */
async function prepareEnrollment(
  context: AppContext,
  tx: Tx,
  applicationId: number,
  input: EnrollInput,
): Promise<PreparedEnrollment> {
  const [app] = await tx<
    {
      id: number;
      user_id: number;
      role: string;
      company: string;
      my_name: string | null;
      metric: string | null;
    }[]
  >`
    select a.id, a.user_id, j.title as role, co.name as company, u.full_name as my_name,
      (select r.key_metrics->>0 from resumes r where r.user_id = a.user_id) as metric
    from applications a
    join jobs j on j.id = a.job_id
    join companies co on co.id = j.company_id
    join users u on u.id = a.user_id
    where a.id = ${applicationId}::int`;
  if (!app) throw new HttpError(404, "application not found");

  const [contact] = await tx<
    {
      id: number;
      first_name: string | null;
      last_name: string | null;
      full_name: string;
      opted_out: boolean;
      bounce_count: number;
    }[]
  >`select c.id, c.first_name, c.last_name, c.full_name, c.bounce_count,
      (coalesce(c.opted_out, false)
        or exists (select 1 from contacts x where lower(x.email) = lower(c.email) and x.opted_out))
        as opted_out
    from contacts c where c.id = ${input.contact_id}::int`;
  if (!contact) throw new HttpError(422, "invalid values", { fields: { contact_id: "no such contact" } });

  const [sequence] = await tx<{ id: number; steps: SequenceStep[]; auto_promote: boolean }[]>`
    select id, steps, auto_promote from sequence_templates where id = ${input.sequence_id}::int`;
  if (!sequence) {
    throw new HttpError(422, "invalid values", { fields: { sequence_id: "no such sequence" } });
  }
  if (!Array.isArray(sequence.steps) || sequence.steps.length === 0) {
    throw new HttpError(422, "invalid values", { fields: { sequence_id: "the sequence has no steps" } });
  }

  if (contact.opted_out) throw new HttpError(409, "the contact opted out of email", { code: "opted_out" });
  if (contact.bounce_count > 0) {
    throw new HttpError(409, "the contact's address bounced", { code: "bounced" });
  }
  await assertNotEnrolled(tx, applicationId, contact.id);

  const variables: Variables = {
    first_name: contact.first_name ?? contact.full_name.split(/\s+/)[0],
    last_name: contact.last_name ??
      (contact.full_name.includes(" ") ? contact.full_name.split(/\s+/).slice(1).join(" ") : null),
    full_name: contact.full_name,
    role: app.role,
    company: app.company,
    my_name: app.my_name,
    my_metric: app.metric,
    ...input.variables,
  };
  // `{{live_page}}`: the application's enabled live page, if it has one (a template that uses it without one
  // is refused below like any variable without a value).
  const livePage = await livePageOfApplication(tx, applicationId);
  if (livePage) variables.live_page = livePageUrl(context, livePage.token);
  const steps = [...sequence.steps].sort((a, b) => a.step_no - b.step_no);
  const missing = new Set<string>();
  const fields: Record<string, string> = {};
  const overrides = new Map<number, StepOverride>();
  (input.overrides ?? []).forEach((o, i) => {
    if (!steps.some((s) => s.step_no === o.step_no)) {
      fields[`overrides.${i}.step_no`] = `the sequence has no step ${o.step_no}`;
    } else if (overrides.has(o.step_no)) {
      fields[`overrides.${i}.step_no`] = `step ${o.step_no} is given twice`;
    } else overrides.set(o.step_no, o);
  });
  const promoted = sequence.auto_promote ? await promotedVariants(tx, app.user_id, sequence.id) : undefined;
  const ids = { sequenceId: sequence.id, contactId: contact.id };
  const firstSubject = overrides.get(steps[0].step_no)?.subject ??
    renderSubject(chooseStepText(steps, steps[0], ids, promoted).subject, variables).text;
  const rendered = steps.map((step, i) => {
    const text = chooseStepText(steps, step, ids, promoted);
    const override = overrides.get(step.step_no);
    const own = override?.subject !== undefined
      ? { text: override.subject, missing: [] }
      : renderSubject(text.subject, variables);
    // A follow-up without a subject of its own answers step 1: `Re: <step 1 subject>` (issue 11).
    const subject = step.step_no > 1 && override?.subject === undefined && !text.subject.trim()
      ? { ...own, text: followUpSubject("", firstSubject, SUBJECT_MAX) }
      : own;
    const body = override?.body !== undefined
      ? { text: override.body, missing: [] }
      : render(text.body, variables);
    for (const name of [...subject.missing, ...body.missing]) missing.add(name);
    if (subject.text.length > SUBJECT_MAX) {
      fields[`steps.${i}.subject`] = `longer than ${SUBJECT_MAX} characters once rendered`;
    }
    if (!subject.text) fields[`steps.${i}.subject`] = "empty once rendered";
    const carriesPage = livePage !== undefined &&
      (override
        ? `${subject.text}\n${body.text}`.includes(livePageUrl(context, livePage.token))
        : variablesIn(`${text.subject}\n${text.body}`).includes("live_page"));
    return {
      step,
      variant: text.variant,
      subject: subject.text,
      body: body.text,
      livepage_id: carriesPage ? livePage.id : null,
    };
  });
  for (const name of missing) fields[`variables.${name}`] = `no value for {{${name}}}`;
  if (Object.keys(fields).length) {
    throw new HttpError(
      422,
      missing.size ? `template variables without a value: ${[...missing].join(", ")}` : "invalid values",
      {
        fields,
        code: missing.size ? "missing_variables" : undefined,
      },
    );
  }
  return { contactId: contact.id, sequenceId: sequence.id, rendered };
}

/** 409 when the contact still has queued emails from this application (one live sequence at a time). */
async function assertNotEnrolled(tx: Tx, applicationId: number, contactId: number): Promise<void> {
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

/**
 * The emails an enrollment would queue, rendered (with the user's reviewed
 * text where given), and when each would be due; queues nothing. The same
 * checks and answers as `enrollContact`.
 */
export async function previewEnrollment(
  app: AppContext,
  userId: number,
  applicationId: number,
  input: EnrollInput,
): Promise<PreviewItem[]> {
  return await withUser(userId, async (tx) => {
    const { rendered } = await prepareEnrollment(app, tx, applicationId, input);
    const [{ now }] = await tx<{ now: Date }[]>`select now() as now`;
    return rendered.map(({ step, subject, body }) => ({
      step_no: step.step_no,
      subject,
      body,
      due_at: new Date(now.getTime() + step.delay_hours * 3_600_000),
    }));
  });
}

/**
 * Queues one row per step of the sequence for the contact, each rendered (or
 * as the user reviewed it) and due at enrollment time plus its delay. Refuses
 * (409) a contact that opted out, bounced, or is already in a live sequence of
 * this application, and (422) any placeholder without a value, listing them
 * all.
 */
export async function enrollContact(
  app: AppContext,
  userId: number,
  applicationId: number,
  input: EnrollInput,
): Promise<OutreachView[]> {
  // deliverability: invalid addresses are refused (422), risky or guessed ones need confirm_risky (409)
  await assertDeliverable(app, userId, input.contact_id, input.confirm_risky === true);
  return await withUser(userId, async (tx) => {
    // One enrollment at a time per (application, contact): the live-sequence check cannot race.
    await tx`select pg_advisory_xact_lock(${applicationId}::int, ${input.contact_id}::int)`;
    const { contactId, sequenceId, rendered } = await prepareEnrollment(app, tx, applicationId, input);
    // Verification and plan limits (services/accounts/plans.ts); counted only when this enrollment commits.
    const refused = await reserveEnrollment(tx);
    if (refused) throw await enrollmentRefusal(sql, userId, refused);

    const [{ instance }] = await tx<{ instance: number }[]>`
      select nextval('outreach_sequence_instance_seq')::int as instance`;
    const rows = rendered.map(({ step, variant, subject, body, livepage_id }) => ({
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
             now() + r.delay_hours * interval '1 hour', ${
      input.send_window ?? false
    }::boolean, r.outreach_token,
             r.unsubscribe_token
      from jsonb_to_recordset(${tx.json(rows)}::jsonb) as r(
        application_id int, contact_id int, sequence_instance_id int, sequence_template_id int, step_no int,
        variant varchar, livepage_id int, subject varchar, body text, delay_hours float8, outreach_token varchar,
        unsubscribe_token varchar)`;
    return await tx<OutreachView[]>`
      select ${viewColumns(tx)} from outreach o join contacts c on c.id = o.contact_id
      where o.sequence_instance_id = ${instance}::int and o.application_id = ${applicationId}::int
      order by o.step_no`;
  });
}

/** The application's outreach, oldest first (404 when the application is not the caller's). */
export async function listOutreachForApplication(
  userId: number,
  applicationId: number,
): Promise<TimelineItem[]> {
  return await withUser(userId, async (tx) => {
    const [app] = await tx`select id from applications where id = ${applicationId}::int`;
    if (!app) throw new HttpError(404, "application not found");
    const rows = await tx<OutreachView[]>`
      select ${viewColumns(tx)} from outreach o join contacts c on c.id = o.contact_id
      where o.application_id = ${applicationId}::int
      order by o.queued_at, o.sequence_instance_id, o.step_no, o.id`;
    return rows.some((r) => r.status === "queued")
      ? withWaiting(rows, await getSendingState(tx))
      : rows.map((r) => ({ ...r, waiting_reason: null, expected_at: null }));
  });
}
