import assert from "node:assert/strict";
import { dispatchSettings, emptyResult } from "./options.ts";

Deno.test("dispatchSettings - production defaults, each overridable", () => {
  const defaults = dispatchSettings({});
  assert.deepEqual(defaults, {
    batchSize: 200,
    concurrency: 32,
    leaseSeconds: 300,
    recoveryGraceMs: 15 * 60_000,
    maxAttempts: 6,
    pauseMailboxAfter: 5,
    followUpMailboxWaitMs: 3 * 86_400_000,
    maxRuntimeMs: 50_000,
    maxBatches: Infinity,
  });
  assert.equal(dispatchSettings({ concurrency: 1, maxBatches: 2 }).concurrency, 1);
  assert.equal(dispatchSettings({ concurrency: 1, maxBatches: 2 }).maxBatches, 2);
});

Deno.test("emptyResult - every count at zero, a new object each time", () => {
  const a = emptyResult();
  assert.equal(a.sent + a.failed + a.claimed + a.batches, 0);
  assert.equal(a.no_capacity, false);
  a.sent++;
  assert.equal(emptyResult().sent, 0);
});
