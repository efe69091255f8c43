/**
 * The dispatcher against Mailgun as it really answers (issue 11), in this process against a real PostgreSQL
 * and the fake Mailgun: a 420 with "try again after <time>" is retried then; a follow-up waits for step 1,
 * threads on it (own Message-IDs, In-Reply-To, References) from the same mailbox with the sender's name and
 * an opt-out line; a failed step 1 cancels the follow-ups; a follow-up whose mailbox cannot send waits, then
 * fails; crash recovery finds a message by its Message-ID through every page, and never resends when the
 * lookup cannot answer.
 */
import assert from "node:assert/strict";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "@/tests/helpers/app.ts";
import { mailgunTransport } from "@/services/mail/mailgun.ts";
import { randomToken } from "@/core/crypto.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startFakeMailgun } from "@/tests/helpers/fake_mailgun.ts";
import {
  configureFakeMailgun,
  createContacts,
  createMailboxes,
  createSender,
  queueFirstSteps,
} from "@/tests/helpers/outreach_fixtures.ts";

const db = await useAppDatabase("dispatch_real_mail");
const fake = startFakeMailgun();
const transport = configureFakeMailgun(fake);

/** Only this test's rows and mailboxes. */
async function reset() {
  await db.sql`update outreach set status = 'canceled' where status = 'queued'`;
  await db.sql`update mailboxes set status = 'paused'`;
  fake.messages.length = 0;
}

/** A two-step sequence for one contact, both due now (step 2 must still wait for step 1). */
async function twoSteps(subject2 = "Re: Quick advice") {
  const sender = await createSender(db.sql);
  const [contact] = await createContacts(db.sql, sender.companyId, 1);
  const [{ instance }] = await db.sql`select nextval('outreach_sequence_instance_seq')::int as instance`;
  const rows = await db.sql`
    insert into outreach (application_id, contact_id, sequence_instance_id, step_no, subject, body, from_mailbox,
                          status, due_at, outreach_token, unsubscribe_token)
    values (${sender.applicationId}, ${contact}, ${instance}, 1, 'Quick advice', 'Hi Dana', '', 'queued',
            now() - interval '2 seconds', ${randomToken(16)}, ${randomToken(24)}),
           (${sender.applicationId}, ${contact}, ${instance}, 2, ${subject2}, 'Following up', '', 'queued',
            now() - interval '1 second', ${randomToken(16)}, ${randomToken(24)})
    returning id, outreach_token`;
  return { sender, contact, step1: rows[0], step2: rows[1] };
}

const row = async (id: number) => (await db.sql`select * from outreach where id = ${id}`)[0];

Deno.test("dispatchOutreach - a follow-up waits for step 1, then threads on it from the same mailbox", async () => {
  await reset();
  const [a] = await createMailboxes(db.sql, [50]);
  await createMailboxes(db.sql, [50]);
  const { step1, step2 } = await twoSteps();

  const first = await dispatchOutreach(appOn(db.sql), { transport });
  assert.equal(first.sent, 1, JSON.stringify(first));
  const held = await row(step2.id);
  assert.deepEqual([held.status, held.hold_reason], ["queued", "earlier_step"]);
  assert.ok(held.due_at.getTime() > Date.now(), "step 2 waits until after step 1");

  const one = await row(step1.id);
  assert.match(one.message_id, /^<rf\.[^@]+@mb\.example>$/, "our own Message-ID on the mailbox's domain");
  assert.equal(one.provider_message_id, one.message_id, "sent as h:Message-Id and kept by Mailgun");
  const m1 = fake.messages[0];
  assert.equal(m1.fields["h:Message-Id"], one.message_id);
  assert.equal(m1.fields.from, `"Sam Sender" <${one.from_mailbox}>`);
  assert.ok(m1.fields.text.trimEnd().endsWith(`http://app.example/unsubscribe/${one.unsubscribe_token}`));
  assert.ok(m1.fields.text.startsWith("Hi Dana"));
  assert.equal(m1.fields["h:List-Unsubscribe"], `<http://app.example/unsubscribe/${one.unsubscribe_token}>`);
  assert.equal(m1.fields["h:In-Reply-To"], undefined, "step 1 starts the thread");

  // Make both mailboxes equally attractive: step 2 still goes from step 1's.
  await db.sql`update outreach set due_at = now() - interval '1 second' where id = ${step2.id}`;
  const second = await dispatchOutreach(appOn(db.sql), { transport });
  assert.equal(second.sent, 1, JSON.stringify(second));
  const two = await row(step2.id);
  const m2 = fake.messages[1];
  assert.equal(two.from_mailbox, one.from_mailbox);
  assert.equal(two.mailbox_id, one.mailbox_id);
  assert.ok([a.email].includes(one.from_mailbox) || one.from_mailbox.endsWith("@mb.example"));
  assert.equal(m2.fields["h:In-Reply-To"], one.message_id);
  assert.equal(m2.fields["h:References"], one.message_id);
  assert.equal(m2.fields.subject, "Re: Quick advice");
  assert.notEqual(two.message_id, one.message_id);
  assert.equal(m2.fields["h:Message-Id"], two.message_id);
  assert.equal(two.hold_reason, null);
});

Deno.test("dispatchOutreach - Mailgun 420 is temporary and the row is retried at the time it names", async () => {
  await reset();
  const [mailbox] = await createMailboxes(db.sql, [50]);
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 1);
  const [id] = await queueFirstSteps(db.sql, sender.applicationId, contacts);
  const retryAt = new Date(Math.ceil((Date.now() + 2 * 3600_000) / 1000) * 1000);
  fake.failNext(
    1,
    420,
    `Domain mb.example is not allowed to send: recipient limit exceeded, try again after ${retryAt.toUTCString()}`,
  );
  const result = await dispatchOutreach(appOn(db.sql), { transport });
  assert.equal(result.retried, 1, JSON.stringify(result));
  const after = await row(id);
  assert.equal(after.status, "queued");
  assert.equal(after.due_at.getTime(), retryAt.getTime(), "retried exactly when Mailgun said");
  assert.match(after.last_error, /mailgun 420: .*try again after/);
  assert.equal(after.send_started_at, null);
  const [m] = await db.sql`select consecutive_failures, status from mailboxes where id = ${mailbox.id}`;
  assert.deepEqual(
    { ...m },
    { consecutive_failures: 0, status: "active" },
    "a rate limit is not a sick mailbox",
  );

  // 429 without a time: the usual backoff (second attempt: about 2 minutes), also temporary.
  await db.sql`update outreach set due_at = now() - interval '1 second' where id = ${id}`;
  fake.failNext(1, 429, "Too many requests");
  const again = await dispatchOutreach(appOn(db.sql), { transport });
  assert.equal(again.retried, 1);
  const later = await row(id);
  assert.ok(later.due_at.getTime() > Date.now() + 60_000 && later.due_at.getTime() < Date.now() + 180_000);
});

Deno.test("dispatchOutreach - when step 1 fails for good, step 2 is canceled, never sent", async () => {
  await reset();
  await createMailboxes(db.sql, [50]);
  const { step1, step2 } = await twoSteps();
  fake.failNext(1, 400, "'to' parameter is not a valid address");
  const first = await dispatchOutreach(appOn(db.sql), { transport });
  assert.equal(first.failed, 1, JSON.stringify(first));
  assert.equal((await row(step1.id)).status, "failed");
  await db.sql`update outreach set due_at = now() - interval '1 second' where id = ${step2.id}`;
  const second = await dispatchOutreach(appOn(db.sql), { transport });
  assert.equal(second.canceled, 1, JSON.stringify(second));
  const two = await row(step2.id);
  assert.equal(two.status, "canceled");
  assert.match(two.last_error, /earlier step/);
  assert.equal(fake.messages.length, 0);
});

Deno.test("dispatchOutreach - a follow-up waits for step 1's mailbox, then fails with a reason", async () => {
  await reset();
  await createMailboxes(db.sql, [50, 50]);
  const { step1, step2 } = await twoSteps("");
  await dispatchOutreach(appOn(db.sql), { transport });
  const one = await row(step1.id);
  assert.equal(one.status, "sent");
  await db.sql`update mailboxes set status = 'paused' where id = ${one.mailbox_id}`;
  await db.sql`update outreach set due_at = now() - interval '1 second' where id = ${step2.id}`;
  const waiting = await dispatchOutreach(appOn(db.sql), { transport, followUpMailboxWaitMs: 3 * 86_400_000 });
  assert.equal(waiting.deferred, 1, JSON.stringify(waiting));
  const held = await row(step2.id);
  assert.deepEqual([held.status, held.hold_reason], ["queued", "follow_up_mailbox"]);
  assert.equal(fake.messages.length, 1, "not sent from the other mailbox");

  await db
    .sql`update outreach set due_at = now() - interval '1 second', held_since = now() - interval '4 days'
               where id = ${step2.id}`;
  const gaveUp = await dispatchOutreach(appOn(db.sql), { transport, followUpMailboxWaitMs: 3 * 86_400_000 });
  assert.equal(gaveUp.failed, 1, JSON.stringify(gaveUp));
  const failed = await row(step2.id);
  assert.equal(failed.status, "failed");
  assert.match(failed.last_error, /step 1's mailbox could not send for 72 h/);
});

/** Leaves `id` "maybe sent" by a crash: attempt recorded 20 minutes ago, lease over. */
async function crashed(id: number, mailboxId: number, messageId: string | null) {
  await db.sql`
    update outreach set send_started_at = now() - interval '20 minutes', send_attempt_id = gen_random_uuid(),
      send_attempts = 1, mailbox_id = ${mailboxId}, from_mailbox = 'x@mb.example', message_id = ${messageId},
      lease_until = now() - interval '1 second', claim_id = null
    where id = ${id}`;
}

/** Mailgun accepted this message (the answer was lost in the crash). */
async function acceptedAtMailgun(token: string, messageId?: string) {
  const form = new FormData();
  form.append("from", "x@mb.example");
  form.append("to", "someone@people.example");
  form.append("subject", "s");
  form.append("text", "t");
  form.append("v:outreach", token);
  if (messageId) form.append("h:Message-Id", messageId);
  const res = await fetch(`${fake.url}/v3/mb.example/messages`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`api:${fake.apiKey}`)}` },
    body: form,
  });
  return (await res.json()).id as string;
}

Deno.test("dispatchOutreach - recovery finds a message by its Message-ID, and reads every page when it must", async () => {
  await reset();
  const [mailbox] = await createMailboxes(db.sql, [50]);
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 3);
  const [withId, legacy, lost] = await queueFirstSteps(db.sql, sender.applicationId, contacts);
  const tokens = new Map(
    (await db.sql`select id, outreach_token from outreach where id in ${db.sql([withId, legacy, lost])}`).map(
      (r) => [r.id, r.outreach_token],
    ),
  );
  fake.addOtherEvents("mb.example", 700); // more than two pages of 300 before ours
  const ownId = `<rf.${tokens.get(withId)}.abc@mb.example>`;
  await acceptedAtMailgun(tokens.get(withId)!, ownId);
  const legacyId = await acceptedAtMailgun(tokens.get(legacy)!);
  await crashed(withId, mailbox.id, ownId);
  await crashed(legacy, mailbox.id, null); // sent before own Message-IDs: only v:outreach can tell
  await crashed(lost, mailbox.id, `<rf.${tokens.get(lost)}.zzz@mb.example>`);
  fake.eventQueries.length = 0;
  const sentBefore = fake.messages.length;

  const result = await dispatchOutreach(appOn(db.sql), { transport, recoveryGraceMs: 15 * 60_000 });
  assert.equal(result.recovered, 2, JSON.stringify(result));
  assert.equal((await row(withId)).provider_message_id, ownId);
  assert.equal((await row(legacy)).provider_message_id, legacyId);
  assert.ok(fake.eventQueries.some((q) => new URLSearchParams(q).get("message-id") === ownId.slice(1, -1)));
  assert.ok(
    fake.eventQueries.filter((q) => !new URLSearchParams(q).has("message-id")).length >= 3,
    "the legacy lookup (its user-variables filter ignored) paged through 700+ events",
  );
  // The lost one: absent after the grace period, so sent again, once, with the same Message-ID.
  const resent = fake.messages.slice(sentBefore).filter((m) => m.fields["v:outreach"] === tokens.get(lost));
  assert.equal(resent.length, 1);
  assert.equal(resent[0].fields["h:Message-Id"], `<rf.${tokens.get(lost)}.zzz@mb.example>`);
  assert.equal(
    fake.messages.filter((m) => m.fields["v:outreach"] === tokens.get(withId)).length,
    1,
    "never resent",
  );
});

Deno.test("dispatchOutreach - a lookup that cannot answer keeps the row held, never resends", async () => {
  await reset();
  const [mailbox] = await createMailboxes(db.sql, [50]);
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 1);
  const [id] = await queueFirstSteps(db.sql, sender.applicationId, contacts);
  const [{ outreach_token }] = await db.sql`select outreach_token from outreach where id = ${id}`;
  await crashed(id, mailbox.id, `<rf.${outreach_token}.q@mb.example>`);
  fake.failEventQueries(1);
  const quick = mailgunTransport({ apiKey: fake.apiKey, url: fake.url, timeoutMs: 2_000 });
  const result = await dispatchOutreach(appOn(db.sql), { transport: quick, recoveryGraceMs: 15 * 60_000 });
  assert.equal(result.deferred, 1, JSON.stringify(result));
  assert.equal(fake.messages.length, 0, "not resent");
  const held = await row(id);
  assert.equal(held.status, "queued");
  assert.ok(held.send_started_at instanceof Date, "still maybe sent");
  assert.ok(held.lease_until.getTime() > Date.now());
  assert.match(held.last_error, /mailgun 500/);
});
