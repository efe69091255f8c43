/**
 * The sequence-step renderer: `{{name}}` placeholders replaced by values.
 *
 * Pure and small on purpose: the same function renders the editor's live
 * preview (in the browser) and the queued emails (on the server), so what the
 * user previews is what goes out. Values are inserted literally (never
 * re-expanded), and a placeholder without a value is reported, never left in
 * an email.
 */

/** `{{ name }}` with optional spaces; names are letters, digits and `_`, not starting with a digit. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}/g;

/** The variables RoleFerry fills itself from the contact, the job and the sender. */
export const BUILTIN_VARIABLES = [
  "first_name",
  "last_name",
  "full_name",
  "role",
  "company",
  "my_name",
  "my_metric",
  "live_page",
] as const;

/** Longest subject the outreach column holds (varchar(500)). */
export const SUBJECT_MAX = 500;

export type Variables = Record<string, string | null | undefined>;

export interface Rendered {
  text: string;
  /** Names used by the template that have no non-empty value, in order of first use. */
  missing: string[];
}

/** The variable names a template uses, each once, in order of first use. */
export function variablesIn(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) names.add(match[1]);
  return [...names];
}

/**
 * Replaces every placeholder that has a value; one without a value (missing,
 * null or blank) stays as written and is listed in `missing`.
 *
 * @example
 * render("Hi {{first_name}}", { first_name: "Ada" }) // { text: "Hi Ada", missing: [] }
 */
export function render(template: string, variables: Variables): Rendered {
  const missing = new Set<string>();
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (value === undefined || value === null || value.trim() === "") {
      missing.add(name);
      return whole;
    }
    return value;
  });
  return { text, missing: [...missing] };
}

/**
 * Renders a subject line: as `render`, then line breaks (from a value or the
 * template) folded to spaces, because a subject is one header line and a line
 * break in it would be a header injection.
 */
export function renderSubject(template: string, variables: Variables): Rendered {
  const rendered = render(template, variables);
  return { text: rendered.text.replace(/[\r\n]+/g, " ").trim(), missing: rendered.missing };
}
