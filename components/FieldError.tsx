import { errorFor, type FieldErrors } from "@/core/page_forms.ts";

/** The error message of one form field, tied to its input by id for screen readers. */
export default function FieldError({ errors, name }: { errors?: FieldErrors; name: string }) {
  const message = errorFor(errors, name);
  return message ? <p class="field-error" id={`${name}-error`} role="alert">{message}</p> : null;
}
