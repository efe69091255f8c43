/**
 * Send windows: follow-ups land in the sender's working hours (by default
 * weekdays 08:00–18:00) in the sender's own time zone (`users.timezone`), the
 * way cold-email tools schedule them. Computed with Intl.DateTimeFormat, so a
 * daylight-saving change moves the UTC instant of "08:00" as it should.
 */

export interface SendWindow {
  /** ISO weekdays allowed: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Local hours: sending is allowed from `startHour`:00 up to (not including) `endHour`:00. */
  startHour: number;
  endHour: number;
}

export const BUSINESS_HOURS: SendWindow = { days: [1, 2, 3, 4, 5], startHour: 8, endHour: 18 };

// memo: pure function of its key (a time zone's formatter)
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** A time zone Intl knows, else "UTC" (a bad `users.timezone` must not stop sending). */
export function safeTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return "UTC";
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(at: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return parts as unknown as LocalParts;
}

/** Local wall-clock minus UTC at the instant `at`, in milliseconds. */
function offsetMs(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The UTC instant of a local wall-clock time. In a spring-forward gap (the
 * hour does not exist) it gives the instant just after the gap.
 */
export function zonedTimeToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  const first = wall - offsetMs(new Date(wall), timeZone);
  const second = wall - offsetMs(new Date(first), timeZone);
  return new Date(Math.max(first, second));
}

/**
 * `at` when it falls inside the window in `timeZone`, else the window's next
 * opening.
 *
 * @example
 * // Saturday 10:00 in New York -> Monday 08:00 New York time
 * nextSendTime(new Date("2026-03-07T15:00:00Z"), "America/New_York")
 */
export function nextSendTime(at: Date, timeZone: string, window: SendWindow = BUSINESS_HOURS): Date {
  const tz = safeTimeZone(timeZone);
  const now = localParts(at, tz);
  for (let k = 0; k <= 7; k++) {
    const date = new Date(Date.UTC(now.year, now.month - 1, now.day + k));
    const isoDay = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
    if (!window.days.includes(isoDay)) continue;
    if (k === 0) {
      if (now.hour >= window.endHour) continue;
      if (now.hour >= window.startHour) return at;
    }
    return zonedTimeToUtc(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      window.startHour,
      tz,
    );
  }
  return at; // no allowed day at all: the window is not a restriction
}
