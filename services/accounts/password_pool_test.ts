import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { HttpError } from "@/core/http_error.ts";
import { MAX_QUEUED_HASHES, PasswordPool, poolSize } from "./password_pool.ts";

Deno.test("poolSize - one less than the cores, at least one, at most four", () => {
  assert.equal(poolSize(1), 1);
  assert.equal(poolSize(2), 1);
  assert.equal(poolSize(4), 3);
  assert.equal(poolSize(32), 4);
});

Deno.test("PasswordPool - hashes in a worker while the event loop keeps ticking", async () => {
  const pool = new PasswordPool();
  try {
    let ticks = 0;
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      ticks++;
    }, 5);
    // Cost 10 is ~60 ms each in bcryptjs: 6 of them on the event loop would block it for ~360 ms.
    const hashes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => pool.run({ op: "hash", password: `pw-${i}`, cost: 10 })),
    );
    clearInterval(timer);
    assert.ok(ticks > 10, `the timer ticked ${ticks} times meanwhile`);
    assert.ok(longest < 150, `longest gap between ticks ${longest.toFixed(0)} ms`);
    for (const [i, hash] of hashes.entries()) {
      assert.match(String(hash), /^\$2b\$10\$/);
      assert.equal(
        bcrypt.compareSync(`pw-${i}`, String(hash)),
        true,
        "a hash made by a worker verifies here",
      );
    }
    const made = bcrypt.hashSync("made-on-main", 4);
    assert.equal(await pool.run({ op: "compare", password: "made-on-main", hash: made }), true);
    assert.equal(await pool.run({ op: "compare", password: "other", hash: made }), false);
  } finally {
    pool.close();
  }
});

Deno.test("PasswordPool - past the queue's bound a job is a 503 with Retry-After, not an ever longer wait", async () => {
  const pool = new PasswordPool();
  try {
    const results = await Promise.allSettled(
      Array.from(
        { length: MAX_QUEUED_HASHES + poolSize() + 5 },
        (_, i) => pool.run({ op: "hash", password: `q-${i}`, cost: 4 }),
      ),
    );
    const refused = results.filter((r) => r.status === "rejected");
    assert.equal(refused.length, 5);
    for (const r of refused) {
      const error = (r as PromiseRejectedResult).reason;
      assert.ok(error instanceof HttpError && error.status === 503 && error.headers?.["retry-after"] === "5");
    }
  } finally {
    pool.close();
  }
});
