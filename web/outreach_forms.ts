/**
 * The review form of an enrollment: custom variables as `var_<name>` fields
 * and each step's reviewed text as `subject_<n>`/`body_<n>`, read into the
 * `variables` and `overrides` of `POST /api/applications/:id/outreach`.
 */
import { field } from "@/core/page_forms.ts";
import type { StepOverride } from "@/core/enrollment_render.ts";

const VARIABLE = /^var_([A-Za-z_][A-Za-z0-9_]{0,63})$/;

/** The variables the user filled in (empty ones left out, so they are still reported missing). */
export function readVariables(form: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form) {
    const m = VARIABLE.exec(key);
    if (m && value.trim() && Object.keys(out).length < 50) out[m[1]] = value.trim().slice(0, 2000);
  }
  return out;
}

/** Every step's reviewed subject and body, as overrides (only the steps the form carried). */
export function readOverrides(form: URLSearchParams): StepOverride[] {
  const out: StepOverride[] = [];
  for (let n = 1; n <= 20; n++) {
    if (!form.has(`subject_${n}`) && !form.has(`body_${n}`)) continue;
    out.push({
      step_no: n,
      subject: field(form, `subject_${n}`).trim(),
      body: field(form, `body_${n}`).trim(),
    });
  }
  return out;
}
