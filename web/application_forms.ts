/**
 * The forms of the application page (which work without JavaScript) as the PATCH bodies they stand for:
 * zod then checks them exactly as it checks the API's.
 */
import type { Application } from "@/db/applications.ts";
import type { UpdateApplicationInput } from "@/core/application_schemas.ts";
import { field, optionalInt } from "@/core/page_forms.ts";
import { safeTimeZone, zonedTimeToUtc } from "@/core/send_window.ts";

/** A datetime-local value ("2026-12-01T15:00") read as wall-clock time in `timeZone`, as an ISO instant. */
export function localInputToUtc(local: string, timeZone = "UTC"): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return local;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const hour = zonedTimeToUtc(y, mo, d, h, safeTimeZone(timeZone));
  return new Date(hour.getTime() + mi * 60_000).toISOString().replace(".000Z", "Z");
}

/** The PATCH body a form stands for (zod then checks it exactly as for the API). */
export function changeFor(
  action: string,
  form: URLSearchParams,
  current: Application,
  timeZone = "UTC",
): Partial<UpdateApplicationInput> {
  switch (action) {
    case "move":
      return { status: field(form, "status") as UpdateApplicationInput["status"] };
    case "notes":
      return { notes: field(form, "notes") || null };
    case "add_interview": {
      const at = localInputToUtc(field(form, "at"), timeZone); // entered in the user's time zone
      const kind = field(form, "kind").trim();
      return { interview_dates: [...current.interview_dates, { at, ...(kind ? { kind } : {}) }] };
    }
    case "remove_interview": {
      const index = Number(field(form, "index"));
      return { interview_dates: current.interview_dates.filter((_, i) => i !== index) };
    }
    case "offer": {
      const offer: Record<string, unknown> = {};
      for (const key of ["salary", "bonus"]) {
        const value = optionalInt(form, key);
        if (value !== null) offer[key] = value;
      }
      for (const key of ["currency", "equity", "start_date", "deadline", "notes"]) {
        const value = field(form, key).trim();
        if (value) offer[key] = key === "currency" ? value.toUpperCase() : value;
      }
      return { offer_details: offer as UpdateApplicationInput["offer_details"] };
    }
    default:
      return {};
  }
}
