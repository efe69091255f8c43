import assert from "node:assert/strict";
import { GroupCommit } from "./group_commit.ts";

Deno.test("GroupCommit - callers arriving together share one statement, each gets its own answer", async () => {
  const statements: number[][] = [];
  const commit = new GroupCommit(async (items: number[]) => {
    statements.push(items);
    return await Promise.resolve(items.map((n) => n * 10));
  });
  const answers = await Promise.all([1, 2, 3].map((n) => commit.add(n)));
  assert.deepEqual(answers, [10, 20, 30]);
  assert.deepEqual(statements, [[1, 2, 3]]);
});

Deno.test("GroupCommit - items queued while a statement runs go together into the next one, at most max", async () => {
  const statements: number[][] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const commit = new GroupCommit(async (items: number[]) => {
    statements.push(items);
    if (statements.length === 1) await gate;
    return items.map(() => true);
  }, { max: 2 });
  const first = commit.add(1);
  await new Promise((r) => setTimeout(r, 5));
  const later = [2, 3, 4].map((n) => commit.add(n));
  release();
  await Promise.all([first, ...later]);
  assert.deepEqual(statements, [[1], [2, 3], [4]]);
});

Deno.test("GroupCommit - a deadlocked statement runs again; another failure rejects its items only", async () => {
  let runs = 0;
  const retried = new GroupCommit((items: string[]) => {
    runs++;
    if (runs === 1) return Promise.reject(Object.assign(new Error("deadlock"), { code: "40P01" }));
    return Promise.resolve(items.map((s) => s.toUpperCase()));
  });
  assert.equal(await retried.add("a"), "A");
  assert.equal(runs, 2);

  let calls = 0;
  const once = new GroupCommit((items: string[]) =>
    ++calls === 1 ? Promise.reject(new Error("disk full")) : Promise.resolve(items)
  );
  await assert.rejects(once.add("b"), /disk full/);
  assert.equal(await once.add("c"), "c", "the next statement is not affected");
  assert.equal(calls, 2, "a failure other than a conflict is not retried");
});

Deno.test("GroupCommit - with parallel, a caller does not wait for the statement in flight", async () => {
  let inFlight = 0;
  let most = 0;
  const commit = new GroupCommit(async (items: number[]) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise((r) => setTimeout(r, 20));
    inFlight--;
    return items;
  }, { parallel: 2 });
  const first = commit.add(1);
  await new Promise((r) => setTimeout(r, 2));
  await Promise.all([first, commit.add(2)]);
  assert.equal(most, 2);
});
