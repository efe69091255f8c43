/**
 * The dispatcher's recovery of interrupted sends, in this process against a
 * real PostgreSQL and the fake Mailgun: a lost answer is found through
 * Mailgun's events API (never resent), a send that never arrived is resent
 * only after the grace period, and reconciliation needs no mailbox capacity.
 */
import assert from "node:assert/strict";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "@/tests/helpers/app.ts";
import { mailgunTransport } from "@/services/mail/mailgun.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startFakeMailgun } from "@/tests/helpers/fake_mailgun.ts";
import {
  configureFakeMailgun,
  createContacts,
  createMailboxes,
  createSender,
  queueFirstSteps,
} from "@/tests/helpers/outreach_fixtures.ts";

const db = await useAppDatabase("dispatch_recovery");
const fake = startFakeMailgun();
const transport = configureFakeMailgun(fake);

/** Only this test's rows: earlier tests leave queued follow-ups behind. */
async function reset() {
  await db.sql`update outreach set status = 'canceled' where status = 'queued'`;
  await db.sql`update mailboxes set status = 'paused'`;
  fake.messages.length = 0;
}

Deno.test("dispatchOutreach - a send whose answer never came is looked up at Mailgun, not resent", async () => {
  await reset();
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 1);
  await createMailboxes(db.sql, [50]);
  const [id] = await queueFirstSteps(db.sql, sender.applicationId, contacts);
  fake.hangAfterAccept(1);
  const quick = mailgunTransport({ apiKey: fake.apiKey, url: fake.url, timeoutMs: 300 });
  const first = await dispatchOutreach(appOn(db.sql), { transport: quick, recoveryGraceMs: 60_000 });
  assert.equal(first.uncertain, 1, JSON.stringify(first));
  assert.equal(fake.messages.length, 1, "Mailgun accepted it, but the answer was lost");
  const [maybe] = await db
    .sql`select status, send_started_at is not null as started from outreach where id = ${id}`;
  assert.deepEqual({ ...maybe }, { status: "queued", started: true });

  // Within the grace period and the lease: nobody touches it.
  assert.equal((await dispatchOutreach(appOn(db.sql), { transport })).claimed, 0);
  // The lease runs out: the next run asks Mailgun's events and records what it finds.
  await db.sql`update outreach set lease_until = now() - interval '1 second' where id = ${id}`;
  const second = await dispatchOutreach(appOn(db.sql), { transport, recoveryGraceMs: 60_000 });
  assert.equal(second.recovered, 1, JSON.stringify(second));
  assert.equal(fake.messages.length, 1, "not sent twice");
  const [row] = await db.sql`select status, provider_message_id from outreach where id = ${id}`;
  assert.equal(row.status, "sent");
  assert.equal(row.provider_message_id, fake.messages[0].id);
});

Deno.test("dispatchOutreach - maybe-sent rows are reconciled even when no mailbox has capacity", async () => {
  await reset();
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 3);
  const [mb] = await createMailboxes(db.sql, [1]);
  const [first, , third] = await queueFirstSteps(db.sql, sender.applicationId, contacts);
  fake.hangAfterAccept(1);
  const quick = mailgunTransport({ apiKey: fake.apiKey, url: fake.url, timeoutMs: 300 });
  const run = await dispatchOutreach(appOn(db.sql), {
    transport: quick,
    concurrency: 1,
    recoveryGraceMs: 60_000,
  });
  assert.equal(run.uncertain, 1, JSON.stringify(run));
  assert.equal(run.no_capacity, true, "the one unit of capacity went to the lost send");
  const [{ sent_today }] = await db.sql`select sent_today from mailboxes where id = ${mb.id}`;
  assert.equal(sent_today, 1);
  await db.sql`update outreach set lease_until = now() - interval '1 second' where id = ${first}`;
  const later = await dispatchOutreach(appOn(db.sql), { transport, recoveryGraceMs: 60_000 });
  assert.equal(later.recovered, 1, JSON.stringify(later));
  assert.equal(later.no_capacity, true);
  assert.equal(fake.messages.length, 1, "nothing else went out");
  const rows = await db.sql`select id, status, lease_until from outreach where id = any(${[
    first,
    third,
  ]}) order by id`;
  assert.deepEqual(rows.map((r) => r.status), ["sent", "queued"]);
  assert.equal(rows[1].lease_until, null, "rows waiting for capacity are not left claimed");
});

Deno.test("dispatchOutreach - a send that never reached Mailgun is sent again only after the grace period", async () => {
  await reset();
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 1);
  const [mb] = await createMailboxes(db.sql, [50]);
  const [id] = await queueFirstSteps(db.sql, sender.applicationId, contacts);
  // A crash right after the attempt was recorded, before the request left.
  await db
    .sql`update outreach set send_started_at = now(), send_attempt_id = gen_random_uuid(), send_attempts = 1,
               mailbox_id = ${mb.id}, from_mailbox = ${mb.email} where id = ${id}`;
  const early = await dispatchOutreach(appOn(db.sql), { transport, recoveryGraceMs: 60_000 });
  assert.equal(early.deferred, 1, JSON.stringify(early));
  assert.equal(fake.messages.length, 0);
  await db
    .sql`update outreach set send_started_at = now() - interval '2 minutes', lease_until = null where id = ${id}`;
  const late = await dispatchOutreach(appOn(db.sql), { transport, recoveryGraceMs: 60_000 });
  assert.equal(late.sent, 1, JSON.stringify(late));
  assert.equal(fake.messages.length, 1);
  const [row] = await db.sql`select status, send_attempts from outreach where id = ${id}`;
  assert.deepEqual({ ...row }, { status: "sent", send_attempts: 2 });
  await fake.close();
  await db.drop();
});
