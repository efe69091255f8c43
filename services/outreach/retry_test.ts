import assert from "node:assert/strict";
import { isConflict, retryOnConflict } from "./retry.ts";

const conflict = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

Deno.test("isConflict - deadlocks and serialization failures only", () => {
  assert.equal(isConflict(conflict("40P01")), true);
  assert.equal(isConflict(conflict("40001")), true);
  assert.equal(isConflict(conflict("23505")), false);
  assert.equal(isConflict(new Error("plain")), false);
  assert.equal(isConflict(null), false);
});

Deno.test("retryOnConflict - runs again after a deadlock and answers the later result", async () => {
  let runs = 0;
  const waits: number[] = [];
  const answer = await retryOnConflict(() => {
    runs++;
    return runs < 3 ? Promise.reject(conflict("40P01")) : Promise.resolve("ok");
  }, { delayMs: (attempt) => (waits.push(attempt), 0) });
  assert.equal(answer, "ok");
  assert.equal(runs, 3);
  assert.deepEqual(waits, [1, 2]);
});

Deno.test("retryOnConflict - other errors are thrown at once; conflicts after the last try too", async () => {
  let runs = 0;
  await assert.rejects(
    retryOnConflict(() => (runs++, Promise.reject(conflict("23505"))), { delayMs: () => 0 }),
    /23505/,
  );
  assert.equal(runs, 1);
  runs = 0;
  await assert.rejects(
    retryOnConflict(() => (runs++, Promise.reject(conflict("40001"))), { tries: 3, delayMs: () => 0 }),
    /40001/,
  );
  assert.equal(runs, 3);
});
