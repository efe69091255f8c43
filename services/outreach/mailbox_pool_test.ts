import assert from "node:assert/strict";
import { MailboxPool } from "./mailbox_pool.ts";
import { sqlDispatchStore } from "./store.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { createMailboxes } from "@/tests/helpers/outreach_fixtures.ts";

const db = await useAppDatabase("mailbox_pool");

async function sentToday(): Promise<number[]> {
  return (await db.sql`select sent_today from mailboxes order by id`).map((r) => r.sent_today);
}

Deno.test("MailboxPool - rounds spread units over the least filled; close gives back the unused", async () => {
  await createMailboxes(db.sql, [10, 10, 10]);
  const pool = new MailboxPool(sqlDispatchStore(db.sql), () => 5);
  const taken = [await pool.take(), await pool.take(), await pool.take(), await pool.take()];
  const counts = new Map<number, number>();
  for (const m of taken) counts.set(m!.id, (counts.get(m!.id) ?? 0) + 1);
  assert.deepEqual([...counts.values()].sort(), [1, 1, 2], "each round gives one unit per mailbox");
  assert.deepEqual((await sentToday()).reduce((a, b) => a + b), 6, "two rounds of three units");
  await pool.close();
  assert.deepEqual((await sentToday()).reduce((a, b) => a + b), 4, "the two unused units went back");
  await db.sql`update mailboxes set sent_today = 0`;
});

Deno.test("MailboxPool - a preferred mailbox is used when it has capacity, else any other", async () => {
  const [a, b] = (await db.sql`select id from mailboxes order by id`).map((r) => r.id);
  const pool = new MailboxPool(sqlDispatchStore(db.sql), () => 1);
  assert.equal((await pool.take(b))!.id, b);
  await db.sql`update mailboxes set status = 'paused' where id = ${b}`;
  const other = await pool.take(b);
  assert.notEqual(other!.id, b, "a paused preferred mailbox is skipped");
  assert.ok(other!.id === a || other!.id > b);
  await pool.close();
  await db.sql`update mailboxes set status = 'active', sent_today = 0`;
});

Deno.test("MailboxPool - rows locked by another transaction are waited for, not taken as no capacity", async () => {
  await db.sql`update mailboxes set status = 'active', sent_today = 0`;
  const locker = await db.sql.reserve();
  try {
    // What the health job's UPDATE of every mailbox does: holds all the rows for a moment.
    await locker`begin`;
    await locker`select id from mailboxes for update`;
    const pool = new MailboxPool(sqlDispatchStore(db.sql), () => 1);
    const taking = pool.take();
    await new Promise((r) => setTimeout(r, 300));
    await locker`commit`;
    const unit = await taking;
    assert.ok(unit, "a unit once the lock is gone");
    assert.equal(pool.exhausted, false);
    await pool.close();
  } finally {
    locker.release();
  }
  await db.sql`update mailboxes set sent_today = 0`;
});

Deno.test("MailboxPool - dropping a failing mailbox returns its units; an empty round exhausts the pool", async () => {
  const ids = (await db.sql`select id from mailboxes order by id`).map((r) => r.id);
  const pool = new MailboxPool(sqlDispatchStore(db.sql), () => 3);
  const first = await pool.take();
  const victim = ids.find((id) => id !== first!.id)!;
  await pool.drop(victim);
  const [{ held }] = await db.sql`select sent_today as held from mailboxes where id = ${victim}`;
  assert.equal(held, 0, "the dropped mailbox's pooled unit went back");
  await db.sql`update mailboxes set status = 'paused'`;
  const seen = [first!.id];
  for (let m = await pool.take(); m; m = await pool.take()) seen.push(m.id);
  assert.ok(!seen.includes(victim), "never hands out a dropped mailbox");
  assert.equal(pool.exhausted, true);
  await pool.close();
  await db.drop();
});

Deno.test("MailboxPool multiUnit - one round water-fills several units per mailbox, never over a cap", async () => {
  const db2 = await useAppDatabase("mailbox_pool_multi");
  try {
    const boxes = await createMailboxes(db2.sql, [10, 10, 4]);
    await db2.sql`update mailboxes set sent_today = 2 where id = ${boxes[0].id}`;
    const pool = new MailboxPool(sqlDispatchStore(db2.sql), () => 12, { multiUnit: true });
    const first = await pool.take();
    const sent = async () =>
      (await db2.sql`select sent_today from mailboxes order by id`).map((r) => r.sent_today);
    // 12 units where the fill stays lowest (box 0 from 2/10, box 1 from 0/10, box 2 from 0/4), at most
    // ceil(12 / 3) + 1 = 5 on one mailbox: box 1 gets 0.0-0.4 (5), box 2 0, .25, .5 (3), box 0 .2-.5 (4).
    assert.deepEqual(await sent(), [6, 5, 3], "one round of 12 units, spread by fill");
    const taken = [first!];
    for (let i = 0; i < 11; i++) taken.push((await pool.take())!);
    const counts = new Map<number, number>();
    for (const m of taken) counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
    assert.deepEqual(boxes.map((b) => counts.get(b.id)), [4, 5, 3]);
    const more: number[] = [];
    for (let m = await pool.take(); m; m = await pool.take()) more.push(m.id);
    assert.equal(more.length, 10 + 10 + 4 - 2 - 12, "later rounds take exactly what is left");
    assert.deepEqual(await sent(), [10, 10, 4], "every mailbox exactly at its cap, none over");
    assert.equal(pool.exhausted, true);
    await pool.close();
  } finally {
    await db2.drop();
  }
});
