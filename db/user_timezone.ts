/**
 * `users.timezone`: set at signup from the browser and changed in Settings
 * (issue 12). Only a zone the runtime's Intl knows is stored, so every date
 * a page shows can be formatted in it.
 */
import { type Sql, withUser } from "./client.ts";
import { isTimeZone } from "@/core/time_zones.ts";

/** Stores the zone when it is a known IANA name; answers whether it did. */
export async function setUserTimezone(sql: Sql, userId: number, timeZone: string): Promise<boolean> {
  if (!isTimeZone(timeZone)) return false;
  await withUser(sql, userId, (tx) =>
    tx`update users set timezone = ${timeZone}::varchar
       where id = ${userId}::int and timezone is distinct from ${timeZone}::varchar`);
  return true;
}
