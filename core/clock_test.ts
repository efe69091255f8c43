import assert from "node:assert/strict";
import { fixedClock, systemClock } from "./clock.ts";

Deno.test("fixedClock - answers the same instant, as a fresh Date each time", () => {
  const clock = fixedClock("2026-03-01T09:00:00Z");
  const a = clock.now();
  a.setFullYear(2000);
  assert.equal(clock.now().toISOString(), "2026-03-01T09:00:00.000Z");
});

Deno.test("systemClock - follows the wall clock", () => {
  const before = Date.now();
  const now = systemClock.now().getTime();
  assert.ok(now >= before && now <= Date.now());
});
