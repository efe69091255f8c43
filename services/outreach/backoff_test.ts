import assert from "node:assert/strict";
import { backoffMs } from "./backoff.ts";

Deno.test("backoffMs - doubles from one minute per attempt, up to six hours", () => {
  const middle = () => 0.5; // no jitter
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n, middle)), [60_000, 120_000, 240_000, 480_000]);
  assert.equal(backoffMs(0, middle), 60_000, "an attempt count below 1 waits like the first");
  assert.equal(backoffMs(20, middle), 6 * 3600_000);
});

Deno.test("backoffMs - the jitter stays within ±20%", () => {
  assert.equal(backoffMs(3, () => 0), 0.8 * 240_000);
  assert.equal(backoffMs(3, () => 0.999999), Math.round(240_000 * (0.8 + 0.999999 * 0.4)));
  for (let i = 0; i < 100; i++) {
    const ms = backoffMs(2);
    assert.ok(ms >= 96_000 && ms <= 144_000, String(ms));
  }
});
