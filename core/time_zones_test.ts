import assert from "node:assert/strict";
import { isTimeZone, timeZoneNames } from "./time_zones.ts";

Deno.test("isTimeZone - IANA names Intl knows; anything else refused", () => {
  assert.equal(isTimeZone("Europe/Berlin"), true);
  assert.equal(isTimeZone("America/Argentina/Buenos_Aires"), true);
  assert.equal(isTimeZone("UTC"), true);
  assert.equal(isTimeZone("Mars/Olympus"), false);
  assert.equal(isTimeZone(""), false);
  assert.equal(isTimeZone("Europe/Berlin'; drop table users;--"), false);
});

Deno.test("timeZoneNames - UTC first, then the runtime's zones", () => {
  const names = timeZoneNames();
  assert.equal(names[0], "UTC");
  assert.ok(names.includes("Asia/Tokyo"));
  assert.equal(names.filter((n) => n === "UTC").length, 1);
});
