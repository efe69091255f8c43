/**
 * The live-page form of `/applications/:id/live-page`: links are typed one per line as "Label | URL" (or a
 * bare URL), and the rest maps onto the API's schema, so the page and the API validate alike.
 */
import { CreateLivePage, type CreateLivePageInput } from "@/core/live_page_schemas.ts";
import { field, type FieldErrors } from "@/core/page_forms.ts";
import { issuesToFields } from "@/core/validate.ts";

export interface LivePageFormValues {
  headline: string;
  pitch: string;
  links: string;
  show_match: boolean;
}

export function livePageFormValues(form: URLSearchParams): LivePageFormValues {
  return {
    headline: field(form, "headline"),
    pitch: field(form, "pitch"),
    links: field(form, "links"),
    show_match: form.get("show_match") === "on",
  };
}

/** "Label | URL" per line; a bare URL is its own label. */
export function parseLinkLines(text: string): { label: string; url: string }[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).map((line) => {
    const bar = line.lastIndexOf("|");
    if (bar < 0) return { label: line.replace(/^https?:\/\//, "").slice(0, 80), url: line };
    return { label: line.slice(0, bar).trim(), url: line.slice(bar + 1).trim() };
  });
}

export function parseLivePageForm(
  applicationId: number,
  values: LivePageFormValues,
): { ok: true; value: CreateLivePageInput } | { ok: false; errors: FieldErrors } {
  const parsed = CreateLivePage.safeParse({
    application_id: applicationId,
    headline: values.headline,
    pitch: values.pitch,
    links: parseLinkLines(values.links),
    show_match: values.show_match,
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields = issuesToFields(parsed.error.issues);
  const errors: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) {
    const line = /^links\.(\d+)\./.exec(path);
    errors[line ? "links" : path] = line ? `line ${Number(line[1]) + 1}: ${message}` : message;
  }
  return { ok: false, errors };
}
