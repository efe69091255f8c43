import assert from "node:assert/strict";
import { localDate, localDateTime } from "./local_time.ts";

Deno.test("localDateTime - the instant in the user's zone, with the zone named", () => {
  const at = new Date("2026-12-07T08:00:00Z");
  assert.equal(localDateTime(at, "Europe/Berlin"), "Mon, Dec 7, 2026, 09:00 GMT+1");
  assert.equal(localDateTime(at, "America/Los_Angeles"), "Mon, Dec 7, 2026, 00:00 PST");
  assert.equal(localDateTime(at, "Not/AZone"), "Mon, Dec 7, 2026, 08:00 UTC");
  assert.equal(localDateTime(null, "UTC"), "");
});

Deno.test("localDate - the calendar day in the user's zone", () => {
  assert.equal(localDate("2026-12-07T23:30:00Z", "Asia/Tokyo"), "Dec 8, 2026");
  assert.equal(localDate("2026-12-07T23:30:00Z", "UTC"), "Dec 7, 2026");
});
