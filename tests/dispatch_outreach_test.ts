/**
 * The dispatcher in this process against a real PostgreSQL and the fake
 * Mailgun: what goes out, retries, failures, mailbox pausing, warm-up caps,
 * follow-ups from the same mailbox, opt-outs and send windows. Recovery of
 * interrupted sends: tests/dispatch_recovery_test.ts.
 */
import assert from "node:assert/strict";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "@/tests/helpers/app.ts";
import { enrollContact } from "@/services/sequences/enrollment.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startFakeMailgun } from "@/tests/helpers/fake_mailgun.ts";
import {
  configureFakeMailgun,
  createContacts,
  createMailboxes,
  createSender,
  queueFirstSteps,
} from "@/tests/helpers/outreach_fixtures.ts";

const db = await useAppDatabase("dispatch");
const fake = startFakeMailgun();
const { transport, config } = configureFakeMailgun(fake);
/** For enrolling (the live page URL, the address check): the configuration the fake Mailgun set. */
const app = appOn(db.sql, config, { transport });
const SEED_SEQUENCE = "Job Seeker Default";

/** Only this test's rows: earlier tests leave queued follow-ups behind. */
async function reset() {
  await db.sql`update outreach set status = 'canceled' where status = 'queued'`;
  await db.sql`update mailboxes set status = 'paused'`;
  fake.messages.length = 0;
}

Deno.test("dispatchOutreach - sends step 1 to the fake Mailgun with exactly the contract's fields", async () => {
  await reset();
  const sender = await createSender(db.sql);
  const [contactId] = await createContacts(db.sql, sender.companyId, 1);
  const [mailbox] = await createMailboxes(db.sql, [50]);
  const [seq] = await db.sql`select id from sequence_templates where name = ${SEED_SEQUENCE}`;
  const rows = await enrollContact(app, sender.userId, sender.applicationId, {
    contact_id: contactId,
    sequence_id: seq.id,
  });
  assert.deepEqual(rows.map((r) => [r.step_no, r.status]), [[1, "queued"], [2, "queued"], [3, "queued"]]);

  const result = await dispatchOutreach(appOn(db.sql, config), { transport });
  assert.equal(result.sent, 1, JSON.stringify(result));
  assert.equal(fake.messages.length, 1);
  const message = fake.messages[0];
  assert.equal(message.domain, "mb.example");
  assert.deepEqual([...message.names].sort(), [
    "from",
    "h:List-Unsubscribe",
    "h:List-Unsubscribe-Post",
    "h:Message-Id",
    "subject",
    "text",
    "to",
    "v:outreach",
  ]);
  const [row] = await db.sql`
    select o.*, c.email as contact_email from outreach o join contacts c on c.id = o.contact_id
    where o.id = ${rows[0].id}`;
  assert.equal(message.fields.from, `"Sam Sender" <${mailbox.email}>`); // contract §5: the user's name
  assert.equal(message.fields["h:Message-Id"], row.message_id);
  assert.equal(message.fields.to, row.contact_email);
  assert.equal(
    message.fields.subject,
    "Quick advice on Staff Engineer at " + (await companyName(sender.companyId)) + "?",
  );
  const text = message.fields.text.replaceAll("\r\n", "\n"); // multipart bodies carry CRLF line ends
  assert.match(text, /^Hi Contact,\n\nI spotted the Staff Engineer opening/);
  assert.match(text, /cut p99 latency by 40%/);
  assert.match(
    text,
    /Sam Sender\n\n--\nNot interested\? Unsubscribe with one click: \S+\/unsubscribe\/\S+\n$/,
  );
  assert.equal(message.fields["v:outreach"], row.outreach_token);
  assert.notEqual(message.fields["v:outreach"], String(row.id));
  assert.equal(
    message.fields["h:List-Unsubscribe"],
    `<http://app.example/unsubscribe/${row.unsubscribe_token}>`,
  );
  assert.equal(message.fields["h:List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");

  assert.equal(row.status, "sent");
  assert.ok(row.sent_at instanceof Date);
  assert.equal(row.provider_message_id, message.id);
  assert.equal(row.from_mailbox, mailbox.email);
  assert.equal(row.send_started_at, null);
  const later = await db
    .sql`select step_no, status from outreach where sequence_instance_id = ${row.sequence_instance_id}
                             and step_no > 1 order by step_no`;
  assert.deepEqual(later.map((r) => r.status), ["queued", "queued"], "follow-ups wait for their delay");
  const [mb] = await db.sql`select sent_today from mailboxes where id = ${mailbox.id}`;
  assert.equal(mb.sent_today, 1);

  const again = await dispatchOutreach(appOn(db.sql, config), { transport });
  assert.equal(again.sent, 0, "a second run finds nothing due");
  assert.equal(fake.messages.length, 1);
});

async function companyName(id: number): Promise<string> {
  const [row] = await db.sql`select name from companies where id = ${id}`;
  return row.name;
}

Deno.test("dispatchOutreach - a follow-up goes from the mailbox that sent step 1", async () => {
  await reset();
  const sender = await createSender(db.sql);
  const [contactId] = await createContacts(db.sql, sender.companyId, 1);
  const boxes = await createMailboxes(db.sql, [100, 100, 100]);
  const [seq] = await db.sql`select id from sequence_templates where name = ${SEED_SEQUENCE}`;
  const rows = await enrollContact(app, sender.userId, sender.applicationId, {
    contact_id: contactId,
    sequence_id: seq.id,
  });
  await dispatchOutreach(appOn(db.sql, config), { transport });
  const [first] = await db.sql`select mailbox_id from outreach where id = ${rows[0].id}`;
  // Make the other mailboxes emptier, then step 2 due: it still leaves from step 1's mailbox.
  await db.sql`update mailboxes set sent_today = 50 where id = ${first.mailbox_id}`;
  await db.sql`update outreach set due_at = now() where id = ${rows[1].id}`;
  const result = await dispatchOutreach(appOn(db.sql, config), { transport });
  assert.equal(result.sent, 1);
  const [second] = await db.sql`select mailbox_id, status from outreach where id = ${rows[1].id}`;
  assert.equal(second.status, "sent");
  assert.equal(second.mailbox_id, first.mailbox_id);
  assert.ok(boxes.some((b) => b.id === first.mailbox_id));
});

Deno.test("dispatchOutreach - load spreads evenly over the available mailboxes", async () => {
  await reset();
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 30);
  const boxes = await createMailboxes(db.sql, [100, 100, 100]);
  await queueFirstSteps(db.sql, sender.applicationId, contacts);
  const result = await dispatchOutreach(appOn(db.sql, config), { transport });
  assert.equal(result.sent, 30);
  const counts = await db.sql`select sent_today from mailboxes where id = any(${
    boxes.map((b) => b.id)
  }) order by id`;
  assert.deepEqual(counts.map((c) => c.sent_today), [10, 10, 10]);
});

Deno.test("dispatchOutreach - a mailbox in warm-up sends on its ramp, never above it", async () => {
  await reset();
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 12);
  const [warm] = await createMailboxes(db.sql, [60], { status: "warmup", warmupStart: new Date() });
  await queueFirstSteps(db.sql, sender.applicationId, contacts);
  const [cap] = await db
    .sql`select mailbox_send_cap(status, warmup_enabled, warmup_start_date, daily_cap) as cap
                             from mailboxes where id = ${warm.id}`;
  assert.equal(cap.cap, 5, "day 1 of a 30-day ramp to 60: max(5, 60/30)");
  const result = await dispatchOutreach(appOn(db.sql, config), { transport });
  assert.equal(result.sent, 5);
  assert.equal(result.no_capacity, true);
  const [mb] = await db.sql`select sent_today from mailboxes where id = ${warm.id}`;
  assert.equal(mb.sent_today, 5);
  const [{ queued }] = await db.sql`select count(*)::int as queued from outreach
                                    where status = 'queued' and contact_id = any(${contacts})`;
  assert.equal(queued, 7, "the rest waits, unclaimed, for tomorrow's capacity");
  // Day 16 of the ramp: ceil(60 * 16 / 30) = 32
  await db
    .sql`update mailboxes set warmup_start_date = now() - interval '15 days 1 hour' where id = ${warm.id}`;
  const [later] = await db
    .sql`select mailbox_send_cap(status, warmup_enabled, warmup_start_date, daily_cap) as cap
                               from mailboxes where id = ${warm.id}`;
  assert.equal(later.cap, 32);
});

Deno.test("dispatchOutreach - an opted-out contact is never mailed, even with rows still queued", async () => {
  await reset();
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 2);
  await createMailboxes(db.sql, [50]);
  const ids = await queueFirstSteps(db.sql, sender.applicationId, contacts);
  // Opted out behind the engine's back (rows not canceled): the last check before sending still catches it.
  await db.sql`update contacts set opted_out = true where id = ${contacts[0]}`;
  const result = await dispatchOutreach(appOn(db.sql, config), { transport });
  assert.equal(result.sent, 1);
  assert.equal(result.canceled, 1);
  const [row] = await db.sql`select status, last_error from outreach where id = ${ids[0]}`;
  assert.deepEqual({ ...row }, { status: "canceled", last_error: "contact opted out" });
  assert.equal(fake.messages.length, 1);
  const [{ email }] = await db.sql`select email from contacts where id = ${contacts[1]}`;
  assert.equal(fake.messages[0].fields.to, email);
});

Deno.test("dispatchOutreach - temporary failures retry with backoff; permanent ones fail with the reason", async () => {
  await reset();
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 2);
  const [mb] = await createMailboxes(db.sql, [50]);
  const [a, b] = await queueFirstSteps(db.sql, sender.applicationId, contacts);
  fake.failNext(1, 503, "try later");
  const first = await dispatchOutreach(appOn(db.sql, config), {
    transport,
    concurrency: 1,
    maxBatches: 1,
    batchSize: 1,
  });
  assert.equal(first.retried, 1, JSON.stringify(first));
  const [retry] = await db
    .sql`select status, send_attempts, last_error, due_at > now() + interval '40 seconds' as later,
                               send_started_at from outreach where id = ${a}`;
  assert.equal(retry.status, "queued");
  assert.equal(retry.send_attempts, 1);
  assert.match(retry.last_error, /mailgun 503/);
  assert.equal(retry.later, true, "backed off about a minute");
  assert.equal(retry.send_started_at, null);
  const [afterRetry] = await db
    .sql`select sent_today, consecutive_failures from mailboxes where id = ${mb.id}`;
  assert.deepEqual({ ...afterRetry }, { sent_today: 0, consecutive_failures: 1 }, "capacity given back");

  fake.failNext(1, 400, "'to' parameter is not a valid address");
  const second = await dispatchOutreach(appOn(db.sql, config), { transport });
  assert.equal(second.failed, 1, JSON.stringify(second));
  const [failed] = await db.sql`select status, last_error from outreach where id = ${b}`;
  assert.equal(failed.status, "failed");
  assert.match(failed.last_error, /mailgun 400: 'to' parameter is not a valid address/);
  assert.equal(fake.messages.length, 0);
});

Deno.test("dispatchOutreach - a mailbox that keeps failing is paused", async () => {
  await reset();
  const sender = await createSender(db.sql);
  const contacts = await createContacts(db.sql, sender.companyId, 6);
  const [mb] = await createMailboxes(db.sql, [50]);
  await queueFirstSteps(db.sql, sender.applicationId, contacts);
  fake.failNext(5, 500, "internal error");
  const result = await dispatchOutreach(appOn(db.sql, config), { transport, concurrency: 1 });
  assert.equal(result.retried, 5, JSON.stringify(result));
  assert.equal(result.no_capacity, true, "the paused mailbox leaves no capacity");
  const [row] = await db
    .sql`select status, consecutive_failures, paused_reason from mailboxes where id = ${mb.id}`;
  assert.equal(row.status, "paused");
  assert.equal(row.consecutive_failures, 5);
  assert.match(row.paused_reason, /paused after 5 failures in a row: mailgun 500/);
  assert.equal(fake.messages.length, 0);
});

Deno.test("dispatchOutreach - a row with a send window waits for the window in the sender's time zone", async () => {
  await reset();
  // A zone where it is now outside 08:00-18:00 on a weekday or it is the weekend: pick by the current hour.
  const utcHour = new Date().getUTCHours();
  const zone = utcHour >= 6 && utcHour < 16 ? "Pacific/Kiritimati" : "UTC"; // +14: late evening / night there
  const local = Number(new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", hourCycle: "h23" })
    .format(new Date()));
  const day = new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short" }).format(new Date());
  const inside = local >= 8 && local < 18 && !["Sat", "Sun"].includes(day);
  const sender = await createSender(db.sql, { timezone: zone });
  const contacts = await createContacts(db.sql, sender.companyId, 1);
  await createMailboxes(db.sql, [50]);
  const [id] = await queueFirstSteps(db.sql, sender.applicationId, contacts);
  await db.sql`update outreach set send_window = true where id = ${id}`;
  const result = await dispatchOutreach(appOn(db.sql, config), { transport });
  const [row] = await db.sql`select status, due_at from outreach where id = ${id}`;
  if (inside) {
    assert.equal(row.status, "sent");
  } else {
    assert.equal(result.deferred, 1);
    assert.equal(row.status, "queued");
    const opens = Number(
      new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", hourCycle: "h23" })
        .format(row.due_at),
    );
    assert.equal(opens, 8, "moved to 08:00 local");
    assert.equal(fake.messages.length, 0);
  }
  await fake.close();
  await db.drop();
});
