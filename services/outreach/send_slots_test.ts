import assert from "node:assert/strict";
import { SendSlots } from "./send_slots.ts";

Deno.test("SendSlots - never more than its size at once, waiters served in order", async () => {
  const slots = new SendSlots(2);
  let inFlight = 0;
  let most = 0;
  const order: number[] = [];
  await Promise.all(Array.from({ length: 6 }, async (_, i) => {
    const release = await slots.acquire();
    inFlight++;
    most = Math.max(most, inFlight);
    order.push(i);
    await new Promise((r) => setTimeout(r, 2));
    inFlight--;
    release();
  }));
  assert.equal(most, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
});

Deno.test("SendSlots - giving a slot back twice frees it once", async () => {
  const slots = new SendSlots(1);
  const release = await slots.acquire();
  release();
  release();
  const a = await slots.acquire();
  let second = false;
  const b = slots.acquire().then((r) => (second = true, r));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(second, false, "only one slot");
  a();
  (await b)();
});
