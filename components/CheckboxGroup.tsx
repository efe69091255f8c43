import type { FieldErrors } from "@/core/page_forms.ts";
import FieldError from "./FieldError.tsx";

/** A fieldset of checkboxes posting every chosen value under one name (role types, levels, sizes). */
export default function CheckboxGroup(
  { legend, name, options, chosen, errors }: {
    legend: string;
    name: string;
    options: readonly string[];
    chosen: string[];
    errors?: FieldErrors;
  },
) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div class="checks">
        {options.map((o) => (
          <label key={o}>
            <input type="checkbox" name={name} value={o} checked={chosen.includes(o)} /> {o}
          </label>
        ))}
      </div>
      <FieldError errors={errors} name={name} />
    </fieldset>
  );
}
