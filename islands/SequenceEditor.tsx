/**
 * The sequence editor: name, description and steps (subject, body, delay from
 * the start), with a live preview of each step rendered for a chosen contact by
 * the same renderer the server uses (core/template.ts). Saves through
 * `PATCH /api/sequences/:id` and shows the API's field errors beside the
 * fields. A platform template is shown read-only, with a button that copies it
 * into a sequence of one's own.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { render, renderSubject, variablesIn } from "@/core/template.ts";
import { followUpSubject } from "@/core/mail/compose.ts";
import LintWarnings from "@/components/LintWarnings.tsx";
import StepVariants, { type EditorVariant } from "@/components/StepVariants.tsx";

export interface EditorStep {
  step_no: number;
  delay_hours: number;
  subject: string;
  body: string;
  /** A/B variants (2-4): when present, they are sent instead of the step's own subject and body. */
  variants?: EditorVariant[];
}

export interface EditorTarget {
  contact_id: number;
  label: string;
  variables: Record<string, string | null>;
}

export interface SequenceEditorProps {
  id: number;
  name: string;
  description: string | null;
  steps: EditorStep[];
  readOnly: boolean;
  targets: EditorTarget[];
  csrfToken: string;
  /** New enrollments get a step's declared A/B winner. */
  autoPromote?: boolean;
}

const EXAMPLE: EditorTarget = {
  contact_id: 0,
  label: "Example contact",
  variables: {
    first_name: "Ada",
    last_name: "Lovelace",
    full_name: "Ada Lovelace",
    role: "Staff Engineer",
    company: "Acme",
    my_name: "You",
    my_metric: "your best metric",
  },
};

export default function SequenceEditor(props: SequenceEditorProps) {
  const [name, setName] = useState(props.name);
  const [description, setDescription] = useState(props.description ?? "");
  const [steps, setSteps] = useState<EditorStep[]>(props.steps);
  const [autoPromote, setAutoPromote] = useState(props.autoPromote ?? false);
  const targets = props.targets.length ? props.targets : [EXAMPLE];
  const [targetIndex, setTargetIndex] = useState(0);
  const [extra, setExtra] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  // Unsaved edits: what is in the form differs from what was last saved; leaving then asks first.
  const savedState = useRef(
    JSON.stringify({
      name: props.name,
      description: props.description ?? "",
      steps: props.steps,
      autoPromote: props.autoPromote ?? false,
    }),
  );
  const dirty = !props.readOnly &&
    JSON.stringify({ name, description, steps, autoPromote }) !== savedState.current;
  // A layout effect: attached in the same task as the render that shows "unsaved changes", so leaving right
  // after typing is warned too (a plain effect runs after paint, and a quick navigation could beat it).
  useLayoutEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    globalThis.addEventListener("beforeunload", warn);
    return () => globalThis.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const variables = { ...targets[targetIndex].variables, ...extra };
  const used = [
    ...new Set(
      steps.flatMap((s) =>
        (s.variants?.length ? s.variants : [s]).flatMap((
          v,
        ) => [...variablesIn(v.subject), ...variablesIn(v.body)])
      ),
    ),
  ];
  const missing = used.filter((v) => !(variables[v] ?? "").trim());

  function update(index: number, patch: Partial<EditorStep>) {
    setSteps((all) => all.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  }
  function addStep() {
    setSteps((all) => [...all, {
      step_no: all.length + 1,
      delay_hours: (all.at(-1)?.delay_hours ?? 0) + 48,
      subject: "Following up",
      body: "Hi {{first_name}},\n\n",
    }]);
  }
  /** A/B test a step: its text becomes variant A, and B starts as a copy to edit. */
  function startVariants(index: number) {
    const step = steps[index];
    const a = { key: "A", subject: step.subject, body: step.body };
    update(index, { variants: [a, { ...a, key: "B" }] });
  }
  /** Stop testing: the step keeps variant A's text. */
  function stopVariants(index: number) {
    const a = steps[index].variants?.[0];
    update(index, { variants: undefined, ...(a ? { subject: a.subject, body: a.body } : {}) });
  }
  /** What the API gets: a step with variants carries variant A's text as its own (unused, but required). */
  const forSaving = () =>
    steps.map((s) => {
      const { variants, ...rest } = s;
      return variants?.length
        ? { ...rest, subject: variants[0].subject, body: variants[0].body, variants }
        : rest;
    });
  function removeStep(index: number) {
    setSteps((all) => all.filter((_, i) => i !== index).map((s, i) => ({ ...s, step_no: i + 1 })));
  }

  async function send(method: "PATCH" | "POST", url: string, body: unknown) {
    setBusy(true);
    setMessage("");
    setErrors({});
    try {
      const res = await fetch(url, {
        method,
        headers: { "content-type": "application/json", "x-csrf-token": props.csrfToken },
        body: JSON.stringify(body),
      });
      const json = await res.json().catch(() => null);
      if (!res.ok) {
        setErrors(json?.error?.fields ?? {});
        setMessage(`Not saved: ${json?.error?.message ?? res.statusText}.`);
        return null;
      }
      return json;
    } catch {
      setMessage("Not saved: the network failed. Try again.");
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    const saved = await send("PATCH", `/api/sequences/${props.id}`, {
      name,
      description: description || null,
      steps: forSaving(),
      auto_promote: autoPromote,
    });
    if (saved) {
      savedState.current = JSON.stringify({ name, description, steps, autoPromote });
      setMessage("Saved.");
    }
  }

  async function copy() {
    const created = await send("POST", "/api/sequences", {
      name: `${name} (copy)`.slice(0, 255),
      description: description || null,
      steps: forSaving(),
    });
    if (created) location.href = `/sequences/${created.id}`;
  }

  const err = (key: string) => errors[key] && <span class="field-error" role="alert">{errors[key]}</span>;

  return (
    <div class="sequence-editor">
      <p role="status" aria-live="polite" class={message.startsWith("Saved") ? "notice notice-ok" : ""}>
        {message}
      </p>
      {dirty && <p class="muted" data-unsaved>You have unsaved changes.</p>}
      <div class="stack">
        <label for="seq-name">Name</label>
        <input
          id="seq-name"
          type="text"
          value={name}
          disabled={props.readOnly}
          maxLength={255}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        {err("name")}
        <label for="seq-description">Description</label>
        <input
          id="seq-description"
          type="text"
          value={description}
          disabled={props.readOnly}
          onInput={(e) => setDescription((e.target as HTMLInputElement).value)}
        />
        {steps.some((s) => s.variants?.length) && (
          <label>
            <input
              type="checkbox"
              id="seq-auto-promote"
              checked={autoPromote}
              disabled={props.readOnly}
              onChange={(e) => setAutoPromote((e.target as HTMLInputElement).checked)}
            />{" "}
            Send new contacts the winning variant once a winner is declared
          </label>
        )}
      </div>

      <fieldset class="stack">
        <legend>Preview for</legend>
        <select
          id="preview-target"
          aria-label="Preview for"
          onChange={(e) => setTargetIndex(Number((e.target as HTMLSelectElement).value))}
        >
          {targets.map((t, i) => <option key={t.contact_id} value={i}>{t.label}</option>)}
        </select>
        {missing.map((v) => (
          <label key={v}>
            {`{{${v}}}`} has no value for this contact:{" "}
            <input
              type="text"
              data-variable={v}
              value={extra[v] ?? ""}
              onInput={(e) => setExtra((x) => ({ ...x, [v]: (e.target as HTMLInputElement).value }))}
            />
          </label>
        ))}
      </fieldset>

      {steps.map((step, i) => {
        const own = renderSubject(step.subject, variables);
        // A follow-up without a subject answers step 1 in its thread: "Re: <step 1 subject>".
        const subject = i > 0 && !step.subject.trim()
          ? { ...own, text: followUpSubject("", renderSubject(steps[0]?.subject ?? "", variables).text) }
          : own;
        const body = render(step.body, variables);
        const testing = !!step.variants?.length;
        return (
          <section key={i} class="panel step" data-step={step.step_no}>
            <h2>Step {step.step_no}</h2>
            <div class="grid">
              <div class="stack">
                <label for={`delay-${i}`}>Hours after the start</label>
                <input
                  id={`delay-${i}`}
                  type="number"
                  min={0}
                  value={step.delay_hours}
                  disabled={props.readOnly}
                  onInput={(e) => update(i, { delay_hours: Number((e.target as HTMLInputElement).value) })}
                />
                {err(`steps.${i}.delay_hours`)}
                {err(`steps.${i}.step_no`)}
                {!testing && (
                  <>
                    <label for={`subject-${i}`}>Subject</label>
                    <input
                      id={`subject-${i}`}
                      type="text"
                      value={step.subject}
                      maxLength={500}
                      placeholder={i > 0 ? "empty: Re: the subject of step 1" : undefined}
                      disabled={props.readOnly}
                      onInput={(e) => update(i, { subject: (e.target as HTMLInputElement).value })}
                    />
                    {err(`steps.${i}.subject`)}
                    <label for={`body-${i}`}>Body</label>
                    <textarea
                      id={`body-${i}`}
                      rows={8}
                      value={step.body}
                      disabled={props.readOnly}
                      onInput={(e) => update(i, { body: (e.target as HTMLTextAreaElement).value })}
                    />
                    {err(`steps.${i}.body`)}
                    <LintWarnings subject={step.subject} body={step.body} step={step.step_no} />
                  </>
                )}
                {!props.readOnly && (
                  <button
                    type="button"
                    class="button-small"
                    onClick={() => testing ? stopVariants(i) : startVariants(i)}
                  >
                    {testing ? "Stop testing: keep variant A" : "Test another version (A/B)"}
                  </button>
                )}
                {!props.readOnly && steps.length > 1 && (
                  <button
                    type="button"
                    class="button-small button-danger"
                    onClick={() => removeStep(i)}
                  >
                    Remove step {step.step_no}
                  </button>
                )}
              </div>
              {!testing && (
                <div class="preview" aria-label={`Preview of step ${step.step_no}`}>
                  <p class="preview-subject">
                    <strong>{subject.text}</strong>
                  </p>
                  <pre class="email-body preview-body">{body.text}</pre>
                </div>
              )}
            </div>
            {testing && (
              <StepVariants
                index={i}
                stepNo={step.step_no}
                variants={step.variants!}
                readOnly={props.readOnly}
                variables={variables}
                errors={errors}
                onChange={(variants) => update(i, { variants })}
              />
            )}
          </section>
        );
      })}

      <p class="actions">
        {props.readOnly
          ? (
            <button type="button" onClick={copy} disabled={busy}>
              Copy to my sequences
            </button>
          )
          : (
            <>
              <button type="button" onClick={addStep} disabled={busy || steps.length >= 20}>
                Add a step
              </button>
              <button type="button" id="save-sequence" onClick={save} disabled={busy}>Save</button>
            </>
          )}
      </p>
    </div>
  );
}
