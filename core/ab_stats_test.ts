import assert from "node:assert/strict";
import { declareWinner, erfc, twoProportionTest, wilson } from "./ab_stats.ts";

const close = (actual: number, expected: number, digits = 5) =>
  assert.ok(Math.abs(actual - expected) < 10 ** -digits, `${actual} is not ${expected}`);

// Hand-computed: p = 0.1, z² = 3.841459; center = (0.1 + 0.0192073) / 1.0384146 = 0.114797;
// half = 1.887459 · sqrt(0.0009 + 0.0000960365) = 0.059568.
Deno.test("wilson - 10 of 100 is [0.0552, 0.1744] (hand-computed)", () => {
  const interval = wilson(10, 100);
  close(interval.value, 0.1);
  close(interval.low, 0.0552291, 6);
  close(interval.high, 0.1743657, 6);
});

Deno.test("wilson - 0 of 50 starts at 0, and 50 of 50 ends at 1", () => {
  const none = wilson(0, 50);
  assert.equal(none.low, 0);
  close(none.high, 0.0713476, 6);
  const all = wilson(50, 50);
  close(all.low, 0.9286524, 6);
  assert.equal(all.high, 1);
});

Deno.test("wilson - small counts stay inside [0, 1] where the textbook interval would not", () => {
  const interval = wilson(3, 20);
  close(interval.low, 0.0523687, 6);
  close(interval.high, 0.3604189, 6);
  assert.deepEqual(wilson(0, 0), { value: 0, low: 0, high: 1 });
});

// Hand-computed: pooled = 45/400 = 0.1125; se = sqrt(0.1125 · 0.8875 · 0.01) = 0.0315981;
// z = 0.075 / 0.0315981 = 2.37356; p = erfc(2.37356 / √2) = 0.017617.
Deno.test("twoProportionTest - 30/200 against 15/200 gives z 2.374, p 0.0176 (hand-computed)", () => {
  const test = twoProportionTest(30, 200, 15, 200);
  close(test.z, 2.3735633, 5);
  close(test.p_value, 0.0176174, 5);
});

Deno.test("twoProportionTest - equal or degenerate rates give p 1", () => {
  assert.deepEqual(twoProportionTest(0, 100, 0, 100), { z: 0, p_value: 1 });
  assert.deepEqual(twoProportionTest(5, 0, 5, 10), { z: 0, p_value: 1 });
  close(twoProportionTest(12, 100, 10, 100).p_value, 0.6512801, 5);
});

Deno.test("erfc - matches known values", () => {
  close(erfc(0), 1, 6);
  close(erfc(1), 0.1572992, 6);
  close(erfc(-1), 1.8427008, 6);
  close(erfc(3), 0.0000221, 6);
});

Deno.test("declareWinner - not enough data below the minimum sample", () => {
  const verdict = declareWinner([
    { variant: "A", sent: 99, replied: 30 },
    { variant: "B", sent: 200, replied: 2 },
  ]);
  assert.deepEqual(verdict, { winner: null, reason: "not_enough_data" });
});

Deno.test("declareWinner - a significant leader wins with the weakest comparison's p-value", () => {
  const verdict = declareWinner([
    { variant: "A", sent: 200, replied: 15 },
    { variant: "B", sent: 200, replied: 30 },
  ]);
  assert.equal(verdict.winner?.variant, "B");
  close(verdict.winner!.p_value, 0.0176174, 5);
});

Deno.test("declareWinner - Bonferroni: p 0.0176 is not enough against three others", () => {
  // 0.0176 < 0.05 but > 0.05 / 3 = 0.0167 for the comparison with C.
  const verdict = declareWinner([
    { variant: "A", sent: 200, replied: 2 },
    { variant: "B", sent: 200, replied: 30 },
    { variant: "C", sent: 200, replied: 15 },
    { variant: "D", sent: 200, replied: 3 },
  ]);
  assert.deepEqual(verdict, { winner: null, reason: "no_significant_difference" });
});

Deno.test("declareWinner - one variant has nothing to compare", () => {
  assert.deepEqual(declareWinner([{ variant: "A", sent: 500, replied: 50 }]), {
    winner: null,
    reason: "single_variant",
  });
});
