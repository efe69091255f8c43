/**
 * zod schemas of the outreach engine's API: contacts, sequences, enrollment
 * and mailboxes. The routes validate with these and the OpenAPI document is
 * generated from them.
 */
import { z } from "zod";
import { SUBJECT_MAX } from "./template.ts";
import { MailboxAddress, VerificationOut } from "@/core/deliverability/schemas.ts";

const id = (what: string) =>
  z.number({ error: `must be a ${what} id` }).int(`must be a ${what} id`).min(1, `must be a ${what} id`)
    .max(2_147_483_647, `must be a ${what} id`);
const text = (max: number) =>
  z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(
    max,
    `must be at most ${max} characters`,
  );
const optionalText = (max: number) =>
  z.string({ error: "must be a string" }).trim().max(max, `must be at most ${max} characters`).nullable()
    .optional();

export const Email = z.email({ error: "must be an email address" }).max(
  255,
  "must be at most 255 characters",
);

/**
 * A stored web address: http or https only. A `javascript:` or `data:` URL rendered as a link would run
 * script or mislead; the database refuses others too (migration 0045).
 */
export const HttpUrl = z.string({ error: "must be a string" }).trim().max(
  500,
  "must be at most 500 characters",
)
  // A URL parser drops tabs and line breaks inside a URL: stored as sent, they would be another address.
  .regex(/^[^\s\p{Cc}]*$/u, "must be an http(s) URL without spaces or control characters")
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }));

/** A contact's fields (the company comes from the path in the import). */
export const ContactFields = z.strictObject({
  full_name: text(255),
  email: Email,
  first_name: optionalText(100),
  last_name: optionalText(100),
  title: optionalText(255),
  linkedin_url: HttpUrl.nullable().optional(),
  source: text(100),
});

/**
 * Undeliverable and internationalised addresses are accepted (stored as typed); the email may be left out
 * when the person is added by name (deliverability: addresses are proposed and verified later).
 */
export const CreateContact = ContactFields.extend({
  company_id: id("company"),
  email: MailboxAddress.optional(),
  /** The address was picked from GET /api/contacts/suggest: it stays marked as guessed until confirmed. */
  email_guessed: z.boolean({ error: "must be true or false" }).optional(),
});

/** `PATCH /api/contacts/:id`: any of the editable fields (never the opt-out or bounce state). */
export const UpdateContact = z.strictObject({
  full_name: text(255).optional(),
  first_name: optionalText(100),
  last_name: optionalText(100),
  title: optionalText(255),
  email: Email.optional(),
  linkedin_url: ContactFields.shape.linkedin_url,
  notes: optionalText(5000),
}).refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change" });

export const ContactOut = z.object({
  id: z.number(),
  company_id: z.number(),
  full_name: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  linkedin_url: z.string().nullable(),
  source: z.string(),
  email_guessed: z.boolean(),
  verification: VerificationOut.nullable(),
  opted_out: z.boolean(),
  opted_out_at: z.string().nullable(),
  bounce_count: z.number(),
  spam_reports: z.number(),
  last_contacted_at: z.string().nullable(),
});

export const ContactDetailOut = ContactOut.extend({
  company_name: z.string(),
  notes: z.string().nullable(),
  can_edit: z.boolean().describe("the caller added this contact, so may change it"),
});

export const MAX_IMPORT_ROWS = 5000;

export const ImportContacts = z.strictObject({
  contacts: z.array(z.unknown()).min(1, "give at least one contact").max(
    MAX_IMPORT_ROWS,
    `at most ${MAX_IMPORT_ROWS} contacts per import`,
  ),
});

export const ImportResult = z.object({
  inserted: z.number(),
  existing: z.number(),
  rejected: z.array(
    z.object({ index: z.number(), error: z.string(), fields: z.record(z.string(), z.string()) }),
  ),
});

/** One competing version of a step (A/B testing, docs/campaigns.md). */
export const Variant = z.strictObject({
  key: z.enum(["A", "B", "C", "D"], { error: "must be one of A, B, C, D" }),
  subject: text(SUBJECT_MAX),
  body: text(20_000),
});

export const Step = z.strictObject({
  step_no: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1")
    .max(20, "at most 20 steps"),
  delay_hours: z.number({ error: "must be a number" }).min(0, "must be 0 or more").max(
    24 * 365,
    "at most a year",
  ),
  // Empty on a follow-up: it goes out as `Re: <step 1 subject>` in step 1's thread (issue 11).
  subject: z.string({ error: "must be a string" }).trim().max(
    SUBJECT_MAX,
    `must be at most ${SUBJECT_MAX} characters`,
  ),
  body: text(20_000),
  /** 2-4 variants with distinct keys; when given, the step's own subject and body are not sent. */
  variants: z.array(Variant).min(2, "give 2 to 4 variants").max(4, "give 2 to 4 variants").superRefine(
    (variants, ctx) => {
      const seen = new Set<string>();
      variants.forEach((v, i) => {
        if (seen.has(v.key)) {
          ctx.addIssue({ code: "custom", path: [i, "key"], message: `variant ${v.key} is given twice` });
        }
        seen.add(v.key);
      });
    },
  ).optional(),
});

/** Steps numbered 1..n without gaps, delays (from the start of the sequence) never decreasing. */
export const Steps = z.array(Step).min(1, "give at least one step").max(20, "at most 20 steps").superRefine(
  (steps, ctx) => {
    const sorted = [...steps].map((s, i) => ({ ...s, i })).sort((a, b) => a.step_no - b.step_no);
    sorted.forEach((step, n) => {
      if (step.step_no === 1 && !step.subject && !step.variants?.length) {
        ctx.addIssue({ code: "custom", path: [step.i, "subject"], message: "step 1 needs a subject" });
      }
      if (step.step_no !== n + 1) {
        ctx.addIssue({
          code: "custom",
          path: [step.i, "step_no"],
          message: `steps must be numbered 1..${steps.length} without gaps or repeats`,
        });
      }
      if (n > 0 && step.delay_hours < sorted[n - 1].delay_hours) {
        ctx.addIssue({
          code: "custom",
          path: [step.i, "delay_hours"],
          message: `must not be less than step ${
            sorted[n - 1].step_no
          }'s delay (delays count from the start)`,
        });
      }
    });
  },
);

export const CreateSequence = z.strictObject({
  name: text(255),
  description: optionalText(5000),
  steps: Steps,
  /** Route new enrollments of a step to its declared A/B winner. */
  auto_promote: z.boolean({ error: "must be true or false" }).optional(),
});

export const UpdateSequence = z.strictObject({
  name: text(255).optional(),
  description: optionalText(5000),
  steps: Steps.optional(),
  auto_promote: z.boolean({ error: "must be true or false" }).optional(),
}).refine((v) => Object.keys(v).length > 0, {
  message: "give at least one of name, description, steps, auto_promote",
});

export const SequenceOut = z.object({
  id: z.number(),
  user_id: z.number().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  is_platform: z.boolean(),
  steps: z.array(
    z.object({
      step_no: z.number(),
      delay_hours: z.number(),
      subject: z.string(),
      body: z.string(),
      variants: z.array(z.object({ key: z.string(), subject: z.string(), body: z.string() })).optional(),
    }),
  ),
  auto_promote: z.boolean(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});

const VariableName = z.string().regex(
  /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
  "variable names are letters, digits and _",
);

export const Enroll = z.strictObject({
  contact_id: id("contact"),
  sequence_id: id("sequence"),
  variables: z.record(
    VariableName,
    z.string({ error: "must be a string" }).max(2000, "must be at most 2000 characters"),
  )
    .refine((v) => Object.keys(v).length <= 50, "at most 50 variables").optional(),
  /** Only send in the sender's weekday business hours (08:00-18:00 in their time zone). */
  send_window: z.boolean({ error: "must be true or false" }).optional(),
  /** Enroll a contact whose address is risky (catch-all, role, unknown) or guessed; else 409 risky_address. */
  confirm_risky: z.boolean({ error: "must be true or false" }).optional(),
  /** The text the user reviewed, per step, queued instead of the rendered template. */
  overrides: z.array(
    z.strictObject({
      step_no: z.number({ error: "must be a step number" }).int("must be a step number").min(
        1,
        "must be a step number",
      ).max(20, "must be a step number"),
      subject: text(SUBJECT_MAX).optional(),
      body: text(20_000).optional(),
    }),
  ).max(20, "at most 20 steps").optional(),
});

/** `POST /api/applications/:id/outreach/preview`: the same body as the enrollment. */
export const PreviewOut = z.object({
  items: z.array(
    z.object({ step_no: z.number(), subject: z.string(), body: z.string(), due_at: z.string() }),
  ),
});

export const WAITING_REASONS = [
  "no_mailbox",
  "mailbox_cap",
  "mailbox_paused",
  "send_window",
  "follow_up_mailbox",
  "sequence_paused",
  "earlier_step",
  "plan_limit",
  "unverified",
  "auto_reply_delay",
] as const;

export const OutreachOut = z.object({
  id: z.number(),
  application_id: z.number(),
  contact_id: z.number(),
  contact_name: z.string(),
  contact_email: z.string(),
  sequence_instance_id: z.number().nullable(),
  step_no: z.number(),
  subject: z.string(),
  body: z.string(),
  from_mailbox: z.string(),
  status: z.string(),
  queued_at: z.string(),
  due_at: z.string(),
  sent_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  opened_at: z.string().nullable(),
  clicked_at: z.string().nullable(),
  replied_at: z.string().nullable(),
  link_clicks: z.number(),
  last_error: z.string().nullable(),
  variant: z.string().nullable(),
  paused_at: z.string().nullable(),
  waiting_reason: z.enum(WAITING_REASONS).nullable().optional()
    .describe("why a queued email has not gone out yet (null: nothing holds it back)"),
  expected_at: z.string().nullable().optional()
    .describe("when a queued email should go out; null when someone must act first"),
});

/** An inbound message as classified (issue 11), on the timeline and in the admin review list. */
export const InboundOut = z.object({
  /** A bigserial: PostgreSQL's int8 is answered as a string, so no id loses precision in JSON. */
  id: z.string(),
  received_at: z.string(),
  kind: z.enum(["human", "auto_reply", "bounce", "other"]),
  message_id: z.string().nullable(),
  sender: z.string().nullable(),
  from_header: z.string().nullable(),
  subject: z.string().nullable(),
  return_date: z.string().nullable(),
  bounce_message_id: z.string().nullable(),
  bounce_recipient: z.string().nullable(),
  bounce_status: z.string().nullable(),
  bounce_diagnostic: z.string().nullable(),
  outreach_id: z.number().nullable(),
  application_id: z.number().nullable(),
  contact_id: z.number().nullable(),
  matched_by: z.string().nullable(),
  action: z.string(),
  delayed_until: z.string().nullable(),
});

/** `GET /api/admin/inbound` and `/admin/inbound`: one kind, matched or unmatched only, how many. */
export const InboundQuery = z.object({
  kind: InboundOut.shape.kind.optional(),
  matched: z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const Domain = z.string().trim().toLowerCase().regex(
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  "must be a domain name",
);

/** A DKIM selector: dot-separated DNS labels (`smtp`, `mg`, `s1.2026`). */
const DkimSelector = z.string({ error: "must be a DKIM selector" }).trim().max(63, "at most 63 characters")
  .regex(
    /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/,
    "must be a DKIM selector (DNS labels)",
  );

export const CreateMailbox = z.strictObject({
  email: Email,
  domain: Domain,
  smtp_host: z.string({ error: "must be a host name" }).trim().toLowerCase().regex(
    /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/,
    "must be a host name or an IPv4 address",
  ),
  smtp_port: z.number().int("must be a port").min(1, "must be a port").max(65535, "must be a port")
    .optional(),
  smtp_username: text(255),
  smtp_password: z.string({ error: "must be a string" }).min(1, "must not be empty").max(
    256,
    "must be at most 256 characters",
  ),
  daily_cap: z.number().int("must be a whole number").min(1, "must be at least 1").max(
    100_000,
    "at most 100000",
  )
    .optional(),
  status: z.enum(["warmup", "active", "paused"], { error: "must be warmup, active or paused" }).optional(),
  warmup_enabled: z.boolean({ error: "must be true or false" }).optional(),
  warmup_start_date: z.iso.datetime({ offset: true, error: "must be an ISO datetime" }).optional(),
  dkim_selector: DkimSelector.optional(),
  spf_include: Domain.nullable().optional(),
});

/** `PATCH /api/admin/mailboxes/:id`. */
export const UpdateMailbox = z.strictObject({
  daily_cap: CreateMailbox.shape.daily_cap,
  status: CreateMailbox.shape.status,
  warmup_enabled: CreateMailbox.shape.warmup_enabled,
  warmup_start_date: z.iso.datetime({ offset: true, error: "must be an ISO datetime" }).nullable().optional(),
}).refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change" });

export const MailboxOut = z.object({
  id: z.number(),
  email: z.string(),
  domain: z.string(),
  status: z.string(),
  health_score: z.number(),
  warmup_enabled: z.boolean(),
  warmup_start_date: z.string().nullable(),
  daily_cap: z.number(),
  send_cap: z.number(),
  sent_today: z.number(),
  bounce_count_7d: z.number(),
  spam_reports_7d: z.number(),
  consecutive_failures: z.number(),
  last_error: z.string().nullable(),
  paused_reason: z.string().nullable(),
  last_health_check: z.string().nullable(),
  last_sent_at: z.string().nullable(),
  smtp_host: z.string(),
  smtp_port: z.number(),
  smtp_username: z.string(),
  created_at: z.string().nullable(),
  dkim_selector: z.string(),
  spf_include: z.string().nullable(),
});
