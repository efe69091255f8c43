import assert from "node:assert/strict";
import { nextSendTime, safeTimeZone, zonedTimeToUtc } from "./send_window.ts";

Deno.test("nextSendTime - keeps a time inside weekday business hours", () => {
  const at = new Date("2026-03-04T15:30:00Z"); // Wednesday 10:30 in New York (EST)
  assert.equal(nextSendTime(at, "America/New_York").toISOString(), at.toISOString());
});

Deno.test("nextSendTime - moves a weekend time to Monday 08:00 local", () => {
  const saturday = new Date("2026-03-07T15:00:00Z"); // Saturday 10:00 EST
  assert.equal(nextSendTime(saturday, "America/New_York").toISOString(), "2026-03-09T12:00:00.000Z");
});

Deno.test("nextSendTime - follows the daylight-saving change (08:00 EDT is 12:00Z, 08:00 EST is 13:00Z)", () => {
  // DST starts Sunday 2026-03-08 in the US: Friday evening EST -> Monday 08:00 EDT
  const fridayEvening = new Date("2026-03-06T23:30:00Z"); // Friday 18:30 EST
  assert.equal(nextSendTime(fridayEvening, "America/New_York").toISOString(), "2026-03-09T12:00:00.000Z");
  const before = new Date("2026-03-06T11:00:00Z"); // Friday 06:00 EST
  assert.equal(nextSendTime(before, "America/New_York").toISOString(), "2026-03-06T13:00:00.000Z");
  // Europe: DST ends Sunday 2026-10-25; Monday 08:00 CET is 07:00Z
  const saturday = new Date("2026-10-24T10:00:00Z");
  assert.equal(nextSendTime(saturday, "Europe/Berlin").toISOString(), "2026-10-26T07:00:00.000Z");
});

Deno.test("nextSendTime - before opening waits for the same day, after closing for the next weekday", () => {
  const early = new Date("2026-06-01T05:00:00Z"); // Monday 07:00 in Berlin (CEST)
  assert.equal(nextSendTime(early, "Europe/Berlin").toISOString(), "2026-06-01T06:00:00.000Z");
  const late = new Date("2026-06-01T16:00:00Z"); // Monday 18:00 in Berlin
  assert.equal(nextSendTime(late, "Europe/Berlin").toISOString(), "2026-06-02T06:00:00.000Z");
});

Deno.test("nextSendTime - a time zone far from UTC uses the local weekday", () => {
  const at = new Date("2026-06-05T22:00:00Z"); // Saturday 08:00 in Auckland (NZST)
  assert.equal(nextSendTime(at, "Pacific/Auckland").toISOString(), "2026-06-07T20:00:00.000Z");
});

Deno.test("zonedTimeToUtc - a wall time inside the spring-forward gap lands just after it", () => {
  // 02:30 does not exist in New York on 2026-03-08
  assert.equal(zonedTimeToUtc(2026, 3, 8, 2, "America/New_York").toISOString(), "2026-03-08T07:00:00.000Z");
});

Deno.test("safeTimeZone - falls back to UTC for an unknown or empty zone", () => {
  assert.equal(safeTimeZone("Mars/Olympus"), "UTC");
  assert.equal(safeTimeZone(null), "UTC");
  assert.equal(safeTimeZone("Asia/Tokyo"), "Asia/Tokyo");
});
