/**
 * Enrolling a contact in a sequence, and its preview: the orchestration above db/outreach.ts. It checks the
 * enrollment (in this order, so every refusal answers as before: 404 application, 422 contact, 422 sequence,
 * 409 opted out, 409 bounced, 409 already enrolled, 422 template), renders it (core/enrollment_render.ts),
 * and for a real enrollment first asks deliverability (services/deliverability/contact_checks.ts) and then
 * the plan limits (services/accounts/plans.ts). Everything runs as the user (`withUser`): row-level
 * security keeps each user to their own applications and outreach.
 */
import { type Tx, withUser } from "@/db/client.ts";
import { HttpError } from "@/core/http_error.ts";
import { builtinVariables, type RenderedStep, renderEnrollment } from "@/core/enrollment_render.ts";
import type { Variables } from "@/core/template.ts";
import {
  assertNotEnrolled,
  type EnrollInput,
  getEnrollmentFacts,
  lockEnrollment,
  type OutreachView,
  type PreviewItem,
  queueEnrollment,
  transactionNow,
} from "@/db/outreach.ts";
import type { SequenceStep } from "@/db/sequences.ts";
import { promotedVariants } from "@/db/funnels.ts";
import { livePageOfApplication } from "@/db/live_pages.ts";
import { reserveEnrollment } from "@/db/plans.ts";
import { assertDeliverable } from "@/services/deliverability/contact_checks.ts";
import { livePageUrl } from "@/services/live_pages/live_page_view.ts";
import { enrollmentRefusal } from "@/services/accounts/plans.ts";
import type { AppContext } from "@/services/app_context.ts";

interface Prepared {
  contactId: number;
  sequenceId: number;
  rendered: RenderedStep<SequenceStep>[];
}

/**
 * Checks an enrollment and renders its emails, in the user's transaction. A step the user reviewed
 * (`overrides`) keeps their text as written; only the parts not overridden need their variables.
 */
async function prepare(
  app: AppContext,
  tx: Tx,
  applicationId: number,
  input: EnrollInput,
): Promise<Prepared> {
  const { application, contact, sequence } = await getEnrollmentFacts(
    tx,
    applicationId,
    input.contact_id,
    input.sequence_id,
  );
  if (!application) throw new HttpError(404, "application not found");
  if (!contact) throw new HttpError(422, "invalid values", { fields: { contact_id: "no such contact" } });
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
    ...builtinVariables({
      first_name: contact.first_name,
      last_name: contact.last_name,
      full_name: contact.full_name,
      role: application.role,
      company: application.company,
      my_name: application.my_name,
      metric: application.metric,
    }),
    ...input.variables,
  };
  // `{{live_page}}`: the application's enabled live page, if it has one (a template that uses it without one
  // is refused like any variable without a value).
  const page = await livePageOfApplication(tx, applicationId);
  const livePage = page ? { id: page.id, url: livePageUrl(app, page.token) } : undefined;
  if (livePage) variables.live_page = livePage.url;
  const promoted = sequence.auto_promote
    ? await promotedVariants(tx, application.user_id, sequence.id)
    : undefined;
  const rendered = renderEnrollment({
    steps: sequence.steps,
    sequenceId: sequence.id,
    contactId: contact.id,
    variables,
    overrides: input.overrides,
    promoted,
    livePage,
  });
  return { contactId: contact.id, sequenceId: sequence.id, rendered };
}

/**
 * The emails an enrollment would queue, rendered (with the user's reviewed text where given), and when each
 * would be due; queues nothing. The same checks and answers as `enrollContact`.
 */
export async function previewEnrollment(
  app: AppContext,
  userId: number,
  applicationId: number,
  input: EnrollInput,
): Promise<PreviewItem[]> {
  return await withUser(app.sql, userId, async (tx) => {
    const { rendered } = await prepare(app, tx, applicationId, input);
    const now = await transactionNow(tx);
    return rendered.map(({ step, subject, body }) => ({
      step_no: step.step_no,
      subject,
      body,
      due_at: new Date(now.getTime() + step.delay_hours * 3_600_000),
    }));
  });
}

/**
 * Queues one row per step of the sequence for the contact, each rendered (or as the user reviewed it) and due
 * at enrollment time plus its delay. Refuses (409) a contact that opted out, bounced, or is already in a live
 * sequence of this application, and (422) any placeholder without a value, listing them all.
 */
export async function enrollContact(
  app: AppContext,
  userId: number,
  applicationId: number,
  input: EnrollInput,
): Promise<OutreachView[]> {
  // deliverability: invalid addresses are refused (422), risky or guessed ones need confirm_risky (409)
  await assertDeliverable(app, userId, input.contact_id, input.confirm_risky === true);
  return await withUser(app.sql, userId, async (tx) => {
    await lockEnrollment(tx, applicationId, input.contact_id);
    const { contactId, sequenceId, rendered } = await prepare(app, tx, applicationId, input);
    // Verification and plan limits; counted only when this enrollment commits.
    const refused = await reserveEnrollment(tx);
    if (refused) throw await enrollmentRefusal(app.sql, userId, refused);
    return await queueEnrollment(tx, {
      applicationId,
      contactId,
      sequenceId,
      sendWindow: input.send_window ?? false,
      rendered,
    });
  });
}
