/**
 * The daily counter read through its UTC day (migration 0100): a counter of an
 * earlier day is 0 today for every reader (caps, ordering, admin and ops
 * views), with no reset having written it, and the cap still holds within the
 * day.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import {
  hasMailboxCapacity,
  listMailboxes,
  reserveMailboxUnits,
  reserveMailboxUnitsSpread,
  reserveThisMailbox,
} from "./mailboxes.ts";
import { listMailboxHealth } from "./mailbox_health.ts";
import { getMailboxSummary } from "./outreach_waiting.ts";

const db = await useAppDatabase("mailboxes_day");
const sql = db.sql;

/** A mailbox that may send (active, healthy, no warm-up ramp) with `sent` units counted on `daysAgo`. */
async function mailbox(email: string, cap: number, sent: number, daysAgo: number): Promise<number> {
  const [row] = await sql`
    insert into mailboxes (domain, email, status, warmup_enabled, daily_cap, health_score, sent_today,
                           sent_today_day, smtp_host, smtp_username, smtp_password_encrypted)
    values ('day.test', ${email}, 'active', false, ${cap}, 100, ${sent},
            (now() at time zone 'UTC')::date - ${daysAgo}::int, 'smtp.day.test', 'u', 'x')
    returning id`;
  return row.id;
}

const stored = async (id: number) => {
  const [row] = await sql`select sent_today, sent_today_day::text as day, xmin::text as version
    from mailboxes where id = ${id}`;
  return row;
};
const todayText = () => new Date().toISOString().slice(0, 10);

Deno.test("mailboxes - a counter still on yesterday gives the full cap today, without any reset", async () => {
  await sql`delete from mailboxes`;
  const id = await mailbox("full-yesterday@day.test", 5, 5, 1);
  assert.equal(await hasMailboxCapacity(sql), true, "yesterday's full count is not today's");
  const units = await reserveMailboxUnitsSpread(sql, 10);
  assert.deepEqual(
    units.map((u) => [u.id, u.units, u.counter_day]),
    [[id, 5, todayText()]],
    "five units today",
  );
  assert.deepEqual(
    { sent_today: (await stored(id)).sent_today, day: (await stored(id)).day },
    { sent_today: 5, day: todayText() },
    "the reservation rolled the counter over to today",
  );
});

Deno.test("mailboxes - the cap still holds within the day", async () => {
  await sql`delete from mailboxes`;
  const id = await mailbox("busy@day.test", 3, 1, 0);
  const spread = await reserveMailboxUnitsSpread(sql, 10);
  assert.deepEqual(spread.map((u) => u.units), [2], "only the two units left under the cap of 3");
  assert.equal(await reserveThisMailbox(sql, id), undefined, "full: no unit on this mailbox");
  assert.equal((await reserveMailboxUnits(sql, 5)).length, 0, "full: no unit at all");
  assert.equal(await hasMailboxCapacity(sql), false);
  assert.equal((await stored(id)).sent_today, 3, "never above the cap");
});

Deno.test("mailboxes - the admin and ops views show 0 for yesterday's count, and nothing wrote it", async () => {
  await sql`delete from mailboxes`;
  const old = await mailbox("yesterday@day.test", 50, 42, 1);
  const now = await mailbox("today@day.test", 50, 7, 0);
  const before = await stored(old);

  const listed = Object.fromEntries((await listMailboxes(sql)).map((m) => [m.id, m.sent_today]));
  assert.deepEqual(listed, { [old]: 0, [now]: 7 }, "admin page and API (listMailboxes)");
  const health = Object.fromEntries((await listMailboxHealth(sql)).map((m) => [m.id, m.sent_today]));
  assert.deepEqual(health, { [old]: 0, [now]: 7 }, "/api/admin/stats (listMailboxHealth)");
  const view = Object.fromEntries(
    (await sql`select id, sent_today from mailbox_sent_today_view`).map((r) => [r.id, r.sent_today]),
  );
  assert.deepEqual(view, { [old]: 0, [now]: 7 }, "the view the readonly and app roles read");
  const summary = await getMailboxSummary(sql);
  assert.deepEqual(summary, { mailboxes: 2, usable: 2, available: 2 }, "the sending state's summary");

  assert.deepEqual(await stored(old), before, "reading wrote nothing: the stored pair is as it was");
});

Deno.test("mailboxes - the readonly role reads today's count through the view", async () => {
  await sql`delete from mailboxes`;
  await mailbox("ro@day.test", 50, 9, 1);
  const rows = await sql.begin(async (tx) => {
    await tx`set local role readonly`;
    return await tx`select email, sent_today from mailbox_sent_today_view`;
  });
  assert.deepEqual(rows.map((r) => [r.email, r.sent_today]), [["ro@day.test", 0]]);
});

Deno.test("mailboxes (day) - teardown", async () => {
  await db.drop();
});
