import assert from "node:assert/strict";
import type { ClaimedOutreach, RowKey } from "@/db/outreach_dispatch.ts";
import { Batch } from "./batch.ts";
import type { OutreachStore } from "./store.ts";

const rows = [1, 2, 3].map((id) => ({ id, queued_at: "2031-01-01 00:00:00+00" }) as ClaimedOutreach);

function releasingStore() {
  const released: { ids: number[]; owner: unknown }[] = [];
  const store = {
    releaseClaims: (given: RowKey[], owner: unknown) => {
      released.push({ ids: given.map((r) => r.id), owner });
      return Promise.resolve();
    },
    markSending: (marks: unknown[]) => Promise.resolve(marks.map(() => true)),
  } as unknown as OutreachStore;
  return { store, released };
}

Deno.test("Batch - hands out rows one at a time and says when the last is done", () => {
  const batch = new Batch({ claimId: "c" }, rows, releasingStore().store);
  const a = batch.take()!;
  const b = batch.take()!;
  assert.deepEqual([a.id, b.id], [1, 2]);
  assert.equal(batch.finish(), false, "a row still waiting");
  batch.take();
  assert.equal(batch.finish(), false, "a row still in work");
  assert.equal(batch.finish(), true);
  assert.equal(batch.take(), undefined);
});

Deno.test("Batch - close waits for the outcomes, then gives the untouched rows back under its claim", async () => {
  const { store, released } = releasingStore();
  const owner = { claimId: "c-9" };
  const batch = new Batch(owner, rows, store);
  batch.untouched.delete(batch.take()!);
  let recorded = false;
  batch.outcomes.push(new Promise((r) => setTimeout(() => r(recorded = true), 10)));
  const { left, done } = batch.close();
  assert.equal(left, 2, "the rows still waiting");
  assert.equal(released.length, 0, "not before the outcomes");
  await done;
  assert.equal(recorded, true);
  assert.deepEqual(released, [{ ids: [2, 3], owner }]);
  assert.deepEqual(batch.close().left, 0, "closing twice does nothing");
  assert.equal(released.length, 1);
});

Deno.test("Batch - an outcome that failed fails the close, and the claims are not released", async () => {
  const { store, released } = releasingStore();
  const batch = new Batch({ claimId: "c" }, rows, store);
  const failed = Promise.reject(new Error("not recorded"));
  failed.catch(() => {});
  batch.outcomes.push(failed);
  await assert.rejects(batch.close().done, /not recorded/);
  assert.equal(released.length, 0);
});
