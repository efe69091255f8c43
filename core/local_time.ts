/**
 * Dates and times shown in the user's own time zone (`users.timezone`), the
 * same way on every page: "Mon, Dec 7, 2026, 09:00 CET" for an instant,
 * "Dec 7, 2026" for a day.
 */
import { safeTimeZone } from "./send_window.ts";

// memo: pure function of its key (time zone and format)
const cache = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "short",
      day: "numeric",
      ...(withTime
        ? { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" }
        : {}),
    });
    cache.set(key, f);
  }
  return f;
}

/** An instant in `timeZone` (UTC when unknown); "" for none. */
export function localDateTime(value: Date | string | null | undefined, timeZone?: string | null): string {
  if (!value) return "";
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return "";
  return format(safeTimeZone(timeZone), true).format(date);
}

/** The calendar day of an instant in `timeZone`; "" for none. */
export function localDate(value: Date | string | null | undefined, timeZone?: string | null): string {
  if (!value) return "";
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return "";
  return format(safeTimeZone(timeZone), false).format(date);
}
