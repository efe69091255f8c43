/**
 * Plans and credits (issue 14) and the per-user day caps (issue 9 item 7): the enrollment gate's answers, queued
 * steps that wait instead of being dropped, and credits charged exactly once per sent email under concurrent
 * dispatchers. Real PostgreSQL, real HTTP, the fake Mailgun.
 */
import assert from "node:assert/strict";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "@/tests/helpers/app.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startFakeMailgun } from "@/tests/helpers/fake_mailgun.ts";
import { api, startTestServer } from "@/tests/helpers/server.ts";
import { createUserWithToken, type TestUser } from "@/tests/helpers/users.ts";
import { mailgunTransport } from "@/services/mail/mailgun.ts";
import {
  createContacts,
  createMailboxes,
  createSender,
  queueFirstSteps,
} from "@/tests/helpers/outreach_fixtures.ts";

const db = await useAppDatabase("plans");
const server = await startTestServer();
const fake = startFakeMailgun();
// The server's configuration stays (outbox for system mail, the admin token); the dispatcher gets the fake.
const transport = mailgunTransport({ apiKey: fake.apiKey, url: fake.url, timeoutMs: 2_000 });
const ADMIN = { authorization: "Bearer test-admin-token-0123456789" };

/** A signed-up user with a company, a job, an application and `n` contacts there. */
async function userWithApplication(n: number, options: { verified?: boolean } = {}) {
  const u: TestUser = await createUserWithToken(server.url, { verified: options.verified });
  const sender = await createSender(db.sql);
  const [app] = await db.sql`
    insert into applications (user_id, job_id, status) values (${u.user.id}, ${sender.jobId}, 'applied') returning id`;
  const contacts = await createContacts(db.sql, sender.companyId, n);
  const [seq] = await db.sql`select id from sequence_templates where name = 'Job Seeker Default'`;
  return {
    u,
    applicationId: app.id as number,
    contacts,
    sequenceId: seq.id as number,
    companyId: sender.companyId,
  };
}

function enroll(token: string, applicationId: number, contactId: number, sequenceId: number) {
  return api(server.url, "POST", `/api/applications/${applicationId}/outreach`, {
    token,
    body: { contact_id: contactId, sequence_id: sequenceId, variables: { my_metric: "shipped on time" } },
  });
}

async function reset() {
  await db.sql`update outreach set status = 'canceled' where status = 'queued'`;
  await db.sql`update mailboxes set status = 'paused'`;
  fake.messages.length = 0;
}

Deno.test("[e2e] enrollment - 403 until the address is verified, then allowed", async () => {
  const { u, applicationId, contacts, sequenceId } = await userWithApplication(1, { verified: false });
  const refused = await enroll(u.token, applicationId, contacts[0], sequenceId);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, "email_unverified");
  assert.match(refused.body.error.message, /verify your email/);
  const [{ n }] = await db
    .sql`select count(*)::int as n from outreach where application_id = ${applicationId}`;
  assert.equal(n, 0, "nothing queued");
  await db.sql`update users set email_verified = true where id = ${u.user.id}`;
  assert.equal((await enroll(u.token, applicationId, contacts[0], sequenceId)).status, 201);
  const timeline = async () =>
    (await api(server.url, "GET", `/api/applications/${applicationId}/outreach`, { token: u.token })).body
      .items
      .map((r: { waiting_reason: string | null }) => r.waiting_reason);
  const before = await timeline();
  assert.equal(before.length, 3);
  assert.ok(
    !before.some((r: string | null) => r === "unverified" || r === "plan_limit"),
    JSON.stringify(before),
  );
  // Unverified again (an email change): the queued steps wait and say why.
  await db.sql`update users set email_verified = false where id = ${u.user.id}`;
  assert.deepEqual(await timeline(), ["unverified", "unverified", "unverified"]);
  await db.sql`update users set email_verified = true where id = ${u.user.id}`;
  await db
    .sql`insert into usage_daily (user_id, day, sends) values (${u.user.id}, (now() at time zone 'UTC')::date, 50)
               on conflict (user_id, day) do update set sends = 50`;
  assert.deepEqual(await timeline(), ["plan_limit", "plan_limit", "plan_limit"]);
});

Deno.test("[e2e] enrollment - past the free plan's live sequences and daily enrollments: 402 naming the limit", async () => {
  const { u, applicationId, contacts, sequenceId } = await userWithApplication(7);
  const statuses = [];
  for (const id of contacts.slice(0, 6)) {
    statuses.push((await enroll(u.token, applicationId, id, sequenceId)).status);
  }
  assert.deepEqual(statuses, [201, 201, 201, 201, 201, 402]);
  const refused = await enroll(u.token, applicationId, contacts[6], sequenceId);
  assert.equal(refused.status, 402);
  assert.equal(refused.body.error.code, "plan_limit");
  assert.deepEqual(Object.keys(refused.body.error.fields), ["live_sequences"]);
  assert.match(refused.body.error.message, /free plan allows 5 live sequences/);

  // Daily enrollments: the counter of today at the cap (50 on free) refuses even with a free live slot.
  await db
    .sql`update outreach set status = 'canceled' where application_id = ${applicationId} and status = 'queued'`;
  await db.sql`update usage_daily set enrollments = 50 where user_id = ${u.user.id}`;
  const daily = await enroll(u.token, applicationId, contacts[6], sequenceId);
  assert.equal(daily.status, 402);
  assert.deepEqual(Object.keys(daily.body.error.fields), ["daily_enrollments"]);

  // The admin moves the user to pro: allowed again.
  const admin = await api(server.url, "PATCH", `/api/admin/users/${u.user.id}`, {
    headers: ADMIN,
    body: { subscription_tier: "pro", credits_remaining: 25 },
  });
  assert.equal(admin.status, 200);
  assert.equal(admin.body.subscription_tier, "pro");
  assert.equal(admin.body.credits_remaining, 25);
  assert.equal("hashed_password" in admin.body, false);
  assert.equal((await enroll(u.token, applicationId, contacts[6], sequenceId)).status, 201);
});

Deno.test("[e2e] PATCH /api/admin/users/:id - admin only; bad values 422 naming the field; unknown id 404", async () => {
  const u = await createUserWithToken(server.url);
  assert.equal(
    (await api(server.url, "PATCH", `/api/admin/users/${u.user.id}`, {
      token: u.token,
      body: { credits_remaining: 9 },
    }))
      .status,
    401,
  );
  const bad = await api(server.url, "PATCH", `/api/admin/users/${u.user.id}`, {
    headers: ADMIN,
    body: { subscription_tier: "platinum", credits_remaining: -1 },
  });
  assert.equal(bad.status, 422);
  assert.deepEqual(Object.keys(bad.body.error.fields).sort(), ["credits_remaining", "subscription_tier"]);
  const missing = await api(server.url, "PATCH", "/api/admin/users/2000000000", {
    headers: ADMIN,
    body: { credits_remaining: 1 },
  });
  assert.equal(missing.status, 404);
  const [row] = await db.sql`select subscription_tier, credits_remaining from users where id = ${u.user.id}`;
  assert.deepEqual(row, { subscription_tier: "free", credits_remaining: 0 });
});

Deno.test("[e2e] contacts import - more rows than the plan's contacts_per_import is a 402 and imports nothing", async () => {
  const { u, companyId } = await userWithApplication(0);
  const csv = "full_name,email\n" +
    Array.from({ length: 101 }, (_, i) => `Person ${i},person${i}.${u.user.id}@import.example`).join("\n");
  const res = await fetch(`${server.url}/api/companies/${companyId}/contacts/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${u.token}`, "content-type": "text/csv" },
    body: csv,
  });
  const body = await res.json();
  assert.equal(res.status, 402);
  assert.deepEqual(Object.keys(body.error.fields), ["contacts_per_import"]);
  const [{ n }] = await db
    .sql`select count(*)::int as n from contacts where email like ${`%.${u.user.id}@import.example`}`;
  assert.equal(n, 0);
});

Deno.test("dispatchOutreach - a free user's day cap holds: the rest waits queued with sending_block plan_limit", async () => {
  await reset();
  const sender = await createSender(db.sql);
  await db.sql`update users set subscription_tier = 'free' where id = ${sender.userId}`;
  const contacts = await createContacts(db.sql, sender.companyId, 80);
  await createMailboxes(db.sql, [1000, 1000]);
  await queueFirstSteps(db.sql, sender.applicationId, contacts);
  const first = await dispatchOutreach(appOn(db.sql), { transport });
  const second = await dispatchOutreach(appOn(db.sql), { transport });
  assert.equal(first.sent + second.sent, 50, JSON.stringify({ first, second }));
  assert.equal(fake.messages.length, 50);
  const [rows] = await db.sql`
    select count(*) filter (where status = 'queued')::int as queued, count(*) filter (where status = 'sent')::int as sent
    from outreach where application_id = ${sender.applicationId}`;
  assert.deepEqual(rows, { queued: 30, sent: 50 });
  const [{ block }] = await db.sql`select sending_block(${sender.userId}::int) as block`;
  assert.equal(block, "plan_limit");

  // A new day (the counter of today moved back a day): the waiting rows go out, up to the cap again.
  await db.sql`update usage_daily set day = day - 1 where user_id = ${sender.userId}`;
  const nextDay = await dispatchOutreach(appOn(db.sql), { transport });
  assert.equal(nextDay.sent, 30);
});

Deno.test("dispatchOutreach - an unverified user's rows wait (sending_block unverified) and go once verified", async () => {
  await reset();
  const sender = await createSender(db.sql);
  await db.sql`update users set email_verified = false where id = ${sender.userId}`;
  const contacts = await createContacts(db.sql, sender.companyId, 3);
  await createMailboxes(db.sql, [100]);
  await queueFirstSteps(db.sql, sender.applicationId, contacts);
  assert.equal((await dispatchOutreach(appOn(db.sql), { transport })).sent, 0);
  const [{ block }] = await db.sql`select sending_block(${sender.userId}::int) as block`;
  assert.equal(block, "unverified");
  await db.sql`update users set email_verified = true where id = ${sender.userId}`;
  assert.equal((await dispatchOutreach(appOn(db.sql), { transport })).sent, 3);
});

Deno.test("dispatchOutreach - four dispatchers at once: N sent means exactly N charged; credits stop the rest", async () => {
  await reset();
  const sender = await createSender(db.sql);
  // One credit per email from the first one: pro without a monthly allowance or day cap, 150 credits.
  await db.sql`update plan_limits set emails_per_month = 0, daily_sends = null where tier = 'pro'`;
  try {
    await db
      .sql`update users set subscription_tier = 'pro', credits_remaining = 150 where id = ${sender.userId}`;
    const contacts = await createContacts(db.sql, sender.companyId, 200);
    await createMailboxes(db.sql, [1000, 1000, 1000]);
    await queueFirstSteps(db.sql, sender.applicationId, contacts);
    // Rounds of four concurrent runs until one round sends nothing more (a run ends when its claim comes back
    // empty, also while other runs still hold the user's last rows).
    let sentByRuns = 0;
    for (let round = 0; round < 20; round++) {
      const runs = await Promise.all(
        Array.from(
          { length: 4 },
          () => dispatchOutreach(appOn(db.sql), { transport, batchSize: 20, concurrency: 8 }),
        ),
      );
      const sent = runs.reduce((sum, r) => sum + r.sent, 0);
      sentByRuns += sent;
      if (sent === 0) break;
    }
    const [counts] = await db.sql`
      select (select count(*)::int from outreach where application_id = ${sender.applicationId} and status = 'sent') as sent,
             (select count(*)::int from send_charges where user_id = ${sender.userId}) as charged,
             (select count(*) filter (where from_credits)::int from send_charges where user_id = ${sender.userId})
               as from_credits,
             (select credits_remaining from users where id = ${sender.userId}) as credits`;
    assert.equal(counts.sent, sentByRuns);
    assert.equal(counts.sent, fake.messages.length);
    assert.equal(counts.charged, counts.sent, "every sent email charged once");
    assert.equal(counts.from_credits, 150 - counts.credits, "each credit taken belongs to one send");
    // Headroom per claim: concurrent claims may overshoot the balance by what is in flight, never more.
    assert.ok(counts.sent >= 150 && counts.sent <= 150 + 4 * 20, `sent ${counts.sent}`);
    assert.equal(counts.credits, 0);
    const [{ queued }] = await db.sql`select count(*)::int as queued from outreach
      where application_id = ${sender.applicationId} and status = 'queued'`;
    assert.equal(queued, 200 - counts.sent, "the rest waits, not dropped");
  } finally {
    await db.sql`update plan_limits set emails_per_month = 2000, daily_sends = 300 where tier = 'pro'`;
  }
});
