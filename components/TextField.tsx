import { errorFor, type FieldErrors } from "@/core/page_forms.ts";

/**
 * A labelled input (or textarea) that keeps its value after a failed submit
 * and carries its error beside it: `aria-invalid` and `aria-describedby` tie
 * the message to the input for screen readers.
 */
export default function TextField(
  { id, name, label, value, errors, errorKey, type = "text", hint, multiline, required, ...rest }: {
    id: string;
    name: string;
    label: string;
    value?: string | null;
    errors?: FieldErrors;
    /** The key of this field in `errors` (defaults to `name`). */
    errorKey?: string;
    type?: "text" | "email" | "url" | "number" | "date" | "datetime-local" | "password" | "search";
    hint?: string;
    multiline?: boolean;
    required?: boolean;
    autocomplete?: string;
    inputMode?: "text" | "numeric" | "decimal" | "email" | "url";
    placeholder?: string;
    maxLength?: number;
  },
) {
  const message = errorFor(errors, errorKey ?? name);
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described = [message ? errorId : "", hint ? hintId : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name,
    required,
    "aria-invalid": message ? ("true" as const) : undefined,
    "aria-describedby": described,
    ...rest,
  };
  return (
    <div class="field">
      <label for={id}>
        {label}
        {hint && <span class="hint" id={hintId}>{` (${hint})`}</span>}
      </label>
      {multiline
        ? <textarea {...(common as Record<string, unknown>)}>{value ?? ""}</textarea>
        : <input {...({ type, value: value ?? "", ...common } as Record<string, unknown>)} />}
      {message && <p class="field-error" id={errorId}>{message}</p>}
    </div>
  );
}
