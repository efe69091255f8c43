/**
 * The emails of an enrollment, rendered: the variables a contact and an application give, each step's text
 * (its A/B variant, or the user's reviewed text), the follow-up subject rule, the live page link. Pure, so the
 * enrollment service (services/sequences/enrollment.ts), its preview and the editor's preview targets
 * (db/sequences.ts) fill the same variables the same way.
 */
import { HttpError } from "./http_error.ts";
import { render, renderSubject, SUBJECT_MAX, type Variables, variablesIn } from "./template.ts";
import { chooseStepText } from "./variant_assign.ts";
import { followUpSubject } from "./mail/compose.ts";

/** One step of a sequence as stored in `sequence_templates.steps` (db/sequences.ts `SequenceStep`). */
export interface EnrollStep {
  step_no: number;
  delay_hours: number;
  subject: string;
  body: string;
  variants?: { key: string; subject: string; body: string }[];
}

/** The reviewed text of one step, sent instead of the rendered template (contract §6 `overrides`). */
export interface StepOverride {
  step_no: number;
  subject?: string;
  body?: string;
}

/** What the built-in variables are made of: the contact's names, the job, the user's name and first metric. */
export interface VariableSources {
  first_name: string | null;
  last_name: string | null;
  full_name: string;
  role: string;
  company: string;
  my_name: string | null;
  metric: string | null;
}

/** The built-in variables (core/template.ts `BUILTIN_VARIABLES`); a missing first or last name comes from the full name. */
export function builtinVariables(s: VariableSources): Record<string, string | null> {
  return {
    first_name: s.first_name ?? s.full_name.split(/\s+/)[0],
    last_name: s.last_name ??
      (s.full_name.includes(" ") ? s.full_name.split(/\s+/).slice(1).join(" ") : null),
    full_name: s.full_name,
    role: s.role,
    company: s.company,
    my_name: s.my_name,
    my_metric: s.metric,
  };
}

/** One rendered email of an enrollment, ready to be queued. */
export interface RenderedStep<S extends EnrollStep = EnrollStep> {
  step: S;
  variant: string | null;
  subject: string;
  body: string;
  /** The live page the email links to (counted as its views' source), or null. */
  livepage_id: number | null;
}

export interface RenderInput<S extends EnrollStep> {
  steps: readonly S[];
  sequenceId: number;
  contactId: number;
  variables: Variables;
  overrides?: readonly StepOverride[];
  /** Declared winners per step (automatic promotion), when the sequence promotes. */
  promoted?: ReadonlyMap<number, string>;
  /** The application's enabled live page and its public URL, if it has one. */
  livePage?: { id: number; url: string };
}

/**
 * Renders every step, in step order. A step the user reviewed (`overrides`) keeps their text as written; only
 * the parts not overridden need their variables. A follow-up without a subject of its own answers step 1
 * (`Re: <step 1 subject>`). 422 for an override of a step that does not exist or given twice, a subject too
 * long or empty once rendered, and placeholders without a value (all listed, `missing_variables`).
 */
export function renderEnrollment<S extends EnrollStep>(input: RenderInput<S>): RenderedStep<S>[] {
  const { variables, promoted, livePage } = input;
  const steps = [...input.steps].sort((a, b) => a.step_no - b.step_no);
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
  const ids = { sequenceId: input.sequenceId, contactId: input.contactId };
  const firstSubject = overrides.get(steps[0].step_no)?.subject ??
    renderSubject(chooseStepText(steps, steps[0], ids, promoted).subject, variables).text;
  const rendered = steps.map((step, i) => {
    const text = chooseStepText(steps, step, ids, promoted);
    const override = overrides.get(step.step_no);
    const own = override?.subject !== undefined
      ? { text: override.subject, missing: [] }
      : renderSubject(text.subject, variables);
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
        ? `${subject.text}\n${body.text}`.includes(livePage.url)
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
      { fields, code: missing.size ? "missing_variables" : undefined },
    );
  }
  return rendered;
}
