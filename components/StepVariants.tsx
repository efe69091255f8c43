/**
 * The A/B variants of one step in the sequence editor: each variant's subject
 * and body, its own live preview (the same renderer as the server) and lint,
 * and the buttons to add one (up to D) or remove one (down to two). Used inside
 * the SequenceEditor island; the island owns the state.
 */
import { render, renderSubject, type Variables } from "@/core/template.ts";
import LintWarnings from "./LintWarnings.tsx";

export interface EditorVariant {
  key: string;
  subject: string;
  body: string;
}

const KEYS = ["A", "B", "C", "D"];

export default function StepVariants(props: {
  index: number;
  stepNo: number;
  variants: EditorVariant[];
  readOnly: boolean;
  variables: Variables;
  errors: Record<string, string>;
  onChange: (variants: EditorVariant[]) => void;
}) {
  const { index, stepNo, variants } = props;
  const set = (k: number, patch: Partial<EditorVariant>) =>
    props.onChange(variants.map((v, i) => (i === k ? { ...v, ...patch } : v)));
  const add = () => {
    const key = KEYS.find((k) => !variants.some((v) => v.key === k));
    if (key) props.onChange([...variants, { ...variants.at(-1)!, key }]);
  };
  const remove = (k: number) => props.onChange(variants.filter((_, i) => i !== k));
  const err = (key: string) =>
    props.errors[key] && <span class="field-error" role="alert">{props.errors[key]}</span>;
  return (
    <div class="variants" data-variants-step={stepNo}>
      {err(`steps.${index}.variants`)}
      {variants.map((v, k) => {
        const id = `step${index}-variant${v.key}`;
        const subject = renderSubject(v.subject, props.variables);
        const body = render(v.body, props.variables);
        return (
          <fieldset key={v.key} class="variant grid" data-variant={v.key}>
            <legend>Variant {v.key}</legend>
            <div class="stack">
              <label for={`${id}-subject`}>Subject ({v.key})</label>
              <input
                id={`${id}-subject`}
                type="text"
                value={v.subject}
                maxLength={500}
                disabled={props.readOnly}
                onInput={(e) => set(k, { subject: (e.target as HTMLInputElement).value })}
              />
              {err(`steps.${index}.variants.${k}.subject`)}
              <label for={`${id}-body`}>Body ({v.key})</label>
              <textarea
                id={`${id}-body`}
                rows={6}
                value={v.body}
                disabled={props.readOnly}
                onInput={(e) => set(k, { body: (e.target as HTMLTextAreaElement).value })}
              />
              {err(`steps.${index}.variants.${k}.body`)}
              <LintWarnings subject={v.subject} body={v.body} step={stepNo} />
              {!props.readOnly && variants.length > 2 && (
                <button
                  type="button"
                  class="button-small button-danger"
                  onClick={() => remove(k)}
                >
                  Remove variant {v.key}
                </button>
              )}
            </div>
            <div class="preview" aria-label={`Preview of step ${stepNo}, variant ${v.key}`}>
              <p class="preview-subject">
                <strong>{subject.text}</strong>
              </p>
              <pre class="email-body preview-body">{body.text}</pre>
            </div>
          </fieldset>
        );
      })}
      {!props.readOnly && variants.length < 4 && (
        <button type="button" class="button-small" onClick={add}>Add a variant</button>
      )}
    </div>
  );
}
