/**
 * Error messages written for people, for the server-rendered forms: zod's
 * generic wording ("Invalid input: expected number, received string")
 * replaced by what to do, and field keys (`variables.hook`, `offer_details`)
 * shown as their labels.
 */
import type { FieldErrors } from "./page_forms.ts";

const LABELS: Record<string, string> = {
  full_name: "Name",
  first_name: "First name",
  last_name: "Last name",
  email: "Email",
  title: "Title",
  linkedin_url: "LinkedIn URL",
  notes: "Notes",
  contact_id: "Contact",
  sequence_id: "Sequence",
  outreach: "Outreach",
  daily_cap: "Daily cap",
  domain: "Domain",
  smtp_host: "SMTP host",
  smtp_port: "SMTP port",
  smtp_username: "SMTP user name",
  smtp_password: "SMTP password",
  timezone: "Time zone",
};

/** The label of an error key: `variables.hook` is "{{hook}}", `steps.0.subject` is "Email 1 subject". */
export function fieldLabel(key: string): string {
  if (LABELS[key]) return LABELS[key];
  const variable = /^variables\.(.+)$/.exec(key);
  if (variable) return `{{${variable[1]}}}`;
  const step = /^(?:steps|overrides)\.(\d+)\.(subject|body|step_no)$/.exec(key);
  if (step) return `Email ${Number(step[1]) + 1} ${step[2] === "step_no" ? "" : step[2]}`.trim();
  const first = key.split(".")[0];
  return LABELS[first] ?? first.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
}

/** zod's stock phrases, in words a person acts on. */
export function humanMessage(message: string): string {
  if (/^Invalid input: expected (number|int)/.test(message)) return "enter a number, like 180000 or 180k";
  if (/^Invalid input: expected string/.test(message)) return "fill this in";
  if (/^Invalid input: expected boolean/.test(message)) return "choose yes or no";
  if (/^Invalid (email|input)/i.test(message) && /email/i.test(message)) return "enter an email address";
  if (/^Unrecognized key/.test(message)) return "this field is not expected here";
  if (/^Invalid (url|URL)/.test(message)) return "enter a full web address starting with https://";
  if (/^Invalid input/.test(message)) return "check this value";
  return message;
}

/** Every message of `errors` made human. */
export function humanErrors(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, humanMessage(v)]));
}
