/**
 * The store over db/ on a real database: the rules written once in the queries (opt-out, availability, the
 * row's owner) seen through the interface the dispatcher uses.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import {
  createContacts,
  createMailboxes,
  createSender,
  queueFirstSteps,
} from "@/tests/helpers/outreach_fixtures.ts";
import { sqlDispatchStore } from "./store.ts";

const db = await useAppDatabase("outreach_store");
const store = sqlDispatchStore(db.sql);

Deno.test("sqlDispatchStore - an address opted out on another contact row blocks the send, with the reason", async () => {
  const sender = await createSender(db.sql);
  const [contactId] = await createContacts(db.sql, sender.companyId, 1);
  // The same person as a contact of another company (contacts are unique per company and address).
  const [twinId] = await createContacts(db.sql, (await createSender(db.sql)).companyId, 1);
  await db
    .sql`update contacts set email = (select email from contacts where id = ${contactId}) where id = ${twinId}`;
  await db.sql`update contacts set opted_out = true where id = ${twinId}`;
  await queueFirstSteps(db.sql, sender.applicationId, [contactId]);
  const [mailbox] = await createMailboxes(db.sql, [10]);
  const owner = { claimId: crypto.randomUUID() };
  const [row] = await store.claim(owner, 10, 60, {});
  assert.ok(row, "claimed: opting out does not stop the claim, the last check does");
  const mark = { row, owner, attemptId: crypto.randomUUID(), mailbox, messageId: "<m@mb.example>" };
  assert.deepEqual(await store.markSending([mark]), [false]);
  assert.equal(await store.cancelBlocked(row, owner), true);
  const [after] = await db.sql`select status, last_error, send_started_at from outreach where id = ${row.id}`;
  assert.deepEqual([after.status, after.last_error, after.send_started_at], [
    "canceled",
    "contact opted out",
    null,
  ]);
});

Deno.test("sqlDispatchStore - writes check the owner: another claim or attempt changes nothing", async () => {
  const sender = await createSender(db.sql);
  const [contactId] = await createContacts(db.sql, sender.companyId, 1);
  await queueFirstSteps(db.sql, sender.applicationId, [contactId]);
  const owner = { claimId: crypto.randomUUID() };
  const [row] = await store.claim(owner, 10, 60, {});
  assert.equal(await store.reschedule(row, { claimId: crypto.randomUUID() }, null, "x"), false);
  assert.equal(await store.reschedule(row, { attemptId: crypto.randomUUID() }, null, "x"), false);
  await store.fail(row, { attemptId: crypto.randomUUID() }, "not mine");
  assert.equal((await db.sql`select status from outreach where id = ${row.id}`)[0].status, "queued");
  assert.equal(await store.reschedule(row, owner, null, "mine"), true);
});

Deno.test("sqlDispatchStore - the claim walks past a blocked sender's rows at the head and still fills its limit", async () => {
  await db.sql`delete from outreach where status = 'queued'`; // left by the tests above
  const blocked = await createSender(db.sql);
  await db.sql`update users set email_verified = false where id = ${blocked.userId}`;
  const waiting = await queueFirstSteps(
    db.sql,
    blocked.applicationId,
    await createContacts(db.sql, blocked.companyId, 5),
  );
  await db.sql`update outreach set due_at = now() - interval '1 hour' where id = any(${waiting}::int[])`;
  const sender = await createSender(db.sql);
  const ready = await queueFirstSteps(
    db.sql,
    sender.applicationId,
    await createContacts(db.sql, sender.companyId, 3),
  );
  const owner = { claimId: crypto.randomUUID() };
  const rows = await store.claim(owner, 2, 60, {});
  assert.deepEqual(
    rows.map((r) => r.id),
    ready.slice(0, 2),
    "the first two of the sender who may send, in order",
  );
  const leased = await db.sql`select id from outreach where claim_id = ${owner.claimId}::uuid order by id`;
  assert.deepEqual(leased.map((r) => r.id), ready.slice(0, 2), "nothing else is leased");
  assert.deepEqual((await store.claim({ claimId: crypto.randomUUID() }, 10, 60, {})).map((r) => r.id), [
    ready[2],
  ]);
  await db.sql`delete from outreach where id = any(${[...waiting, ...ready]}::int[])`;
});

Deno.test("sqlDispatchStore - one attempts statement checks each row against its own claim", async () => {
  await db.sql`delete from outreach where status = 'queued'`; // left by the tests above
  const sender = await createSender(db.sql);
  await queueFirstSteps(db.sql, sender.applicationId, await createContacts(db.sql, sender.companyId, 3));
  const [mailbox] = await createMailboxes(db.sql, [10]);
  const first = { claimId: crypto.randomUUID() };
  const second = { claimId: crypto.randomUUID() };
  const [a] = await store.claim(first, 1, 60, {});
  const [b, c] = await store.claim(second, 2, 60, {});
  const mark = (row: typeof a, owner: typeof first) => ({
    row,
    owner,
    attemptId: crypto.randomUUID(),
    mailbox,
    messageId: `<${row.id}@mb.example>`,
  });
  assert.deepEqual(await store.markSending([mark(a, first), mark(b, second), mark(c, first)]), [
    true,
    true,
    false,
  ]);
  const started = await db.sql`select id from outreach where send_started_at is not null order by id`;
  assert.deepEqual(started.map((r) => r.id), [a.id, b.id], "the row named under another claim is untouched");
});

Deno.test("sqlDispatchStore - capacity follows availability: active or warming up, healthy, under the cap", async () => {
  await db.sql`update mailboxes set status = 'paused'`;
  assert.equal(await store.hasCapacity(), false);
  const [box] = await createMailboxes(db.sql, [1]);
  assert.equal(await store.hasCapacity(), true);
  await db.sql`update mailboxes set health_score = 69 where id = ${box.id}`;
  assert.equal(await store.hasCapacity(), false, "unhealthy");
  await db.sql`update mailboxes set health_score = 100 where id = ${box.id}`;
  const unit = await store.reserveMailbox(box.id);
  assert.ok(unit);
  assert.equal(await store.hasCapacity(), false, "at its cap");
  assert.equal(await store.reserveMailbox(box.id), undefined);
  await store.releaseUnits([unit]);
  assert.equal(await store.hasCapacity(), true);
  await db.drop();
});
