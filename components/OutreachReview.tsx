/**
 * The review of an enrollment before anything is queued: a field for each
 * custom variable the templates need, then every rendered email with its
 * subject and body editable. "Queue these emails" sends the reviewed text as
 * the enrollment's `overrides`; "Update the emails" renders again with the
 * variables given (the reviewed text of a step is then replaced).
 */
import type { PreviewItem } from "@/db/outreach.ts";
import type { FieldErrors } from "@/core/page_forms.ts";
import { localDateTime } from "@/core/local_time.ts";
import CsrfField from "./CsrfField.tsx";
import ErrorSummary from "./ErrorSummary.tsx";
import TextField from "./TextField.tsx";

export interface ReviewState {
  contact_id: number;
  contact_name: string;
  sequence_id: number;
  /** The variables typed so far, and the names still missing. */
  variables: Record<string, string>;
  missing: string[];
  /** The emails, as rendered or as the user edited them (empty until every variable has a value). */
  items: (Omit<PreviewItem, "due_at"> & { due_at: Date | null })[];
  errors?: FieldErrors;
}

export default function OutreachReview(
  { review, csrfToken, timezone }: { review: ReviewState; csrfToken?: string; timezone?: string | null },
) {
  const names = [...new Set([...Object.keys(review.variables), ...review.missing])];
  const fieldIds: Record<string, string> = {};
  for (const n of names) fieldIds[`variables.${n}`] = `var_${n}`;
  review.items.forEach((item, i) => {
    fieldIds[`overrides.${i}.subject`] = `subject_${item.step_no}`;
    fieldIds[`overrides.${i}.body`] = `body_${item.step_no}`;
    fieldIds[`steps.${i}.subject`] = `subject_${item.step_no}`;
  });
  return (
    <section class="panel review" id="review" aria-labelledby="review-heading">
      <h3 id="review-heading">Review the emails to {review.contact_name}</h3>
      <form method="post" action="#review" class="stack">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="contact_id" value={String(review.contact_id)} />
        <input type="hidden" name="sequence_id" value={String(review.sequence_id)} />
        <ErrorSummary errors={review.errors} fieldIds={fieldIds} title="Nothing was queued yet" />
        {names.length > 0 && (
          <fieldset>
            <legend>Values for the template's variables</legend>
            {names.map((n) => (
              <TextField
                key={n}
                id={`var_${n}`}
                name={`var_${n}`}
                label={`{{${n}}}`}
                value={review.variables[n] ?? ""}
                errors={review.errors}
                errorKey={`variables.${n}`}
              />
            ))}
            <div>
              <button type="submit" name="action" value="review" class="button-secondary">
                Update the emails
              </button>
            </div>
          </fieldset>
        )}
        {review.items.map((item, i) => (
          <fieldset key={item.step_no} class="review-item">
            <legend>
              Email {item.step_no} <span class="hint">due {localDateTime(item.due_at, timezone)}</span>
            </legend>
            <TextField
              id={`subject_${item.step_no}`}
              name={`subject_${item.step_no}`}
              label="Subject"
              value={item.subject}
              errors={review.errors}
              errorKey={`overrides.${i}.subject`}
            />
            <TextField
              id={`body_${item.step_no}`}
              name={`body_${item.step_no}`}
              label="Body"
              value={item.body}
              errors={review.errors}
              errorKey={`overrides.${i}.body`}
              multiline
            />
          </fieldset>
        ))}
        {review.items.length > 0 && (
          <p class="actions">
            <button type="submit" name="action" value="outreach">Queue these emails</button>
            <a href="?#outreach">Cancel</a>
          </p>
        )}
      </form>
    </section>
  );
}
