import type { FieldErrors } from "@/core/page_forms.ts";
import { fieldLabel } from "@/core/form_messages.ts";

/**
 * The list of what to fix at the top of a form that failed, each item a link
 * to its field (`#id`). /page.js moves the focus here, so a screen reader
 * reads it and the keyboard starts from it; `fieldIds` maps an error key to
 * the id of its input when the two differ (a form with a prefix).
 */
export default function ErrorSummary(
  { errors, fieldIds = {}, title = "Please fix the following" }: {
    errors?: FieldErrors;
    fieldIds?: Record<string, string>;
    title?: string;
  },
) {
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div
      class="error-summary"
      role="alert"
      tabindex={-1}
      data-error-summary
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {Object.entries(errors).map(([key, message]) => (
          <li key={key} data-field={key}>
            <a href={`#${fieldIds[key] ?? key.split(".")[0]}`}>{fieldLabel(key)}: {message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
