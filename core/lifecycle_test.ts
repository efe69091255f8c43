import assert from "node:assert/strict";
import { createLifecycle } from "./lifecycle.ts";

Deno.test("Lifecycle - drain aborts the signal and waits for tracked work", async () => {
  const lifecycle = createLifecycle();
  let finished = false;
  const work = lifecycle.trackWork(async () => {
    await new Promise((r) => setTimeout(r, 30));
    finished = true;
    return 7;
  });
  assert.equal(lifecycle.signal.aborted, false);
  await lifecycle.drain();
  assert.equal(lifecycle.signal.aborted, true);
  assert.equal(finished, true);
  assert.equal(await work, 7);
});

Deno.test("Lifecycle - a failed run does not fail the drain; drain gives up after its timeout", async () => {
  const lifecycle = createLifecycle();
  const failing = lifecycle.trackWork(() => Promise.reject(new Error("boom")));
  await assert.rejects(failing, /boom/);
  let release = () => {};
  lifecycle.trackWork(() => new Promise<void>((r) => (release = r)));
  const started = Date.now();
  await lifecycle.drain(50);
  assert.ok(Date.now() - started < 1000);
  release();
});

Deno.test("Lifecycle - two lifecycles are independent", async () => {
  const a = createLifecycle();
  const b = createLifecycle();
  await a.drain(10);
  assert.equal(a.signal.aborted, true);
  assert.equal(b.signal.aborted, false);
});
