/** IANA time zone names: the check used before one is stored, and the list Settings offers. */

/** True for a zone name Intl knows (and that fits `users.timezone`, 50 characters). */
export function isTimeZone(value: string): boolean {
  if (!value || value.length > 50 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Every zone the runtime knows, for the Settings select (UTC first). */
export function timeZoneNames(): string[] {
  const names = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.(
    "timeZone",
  ) ?? [];
  return ["UTC", ...names.filter((n) => n !== "UTC")];
}
