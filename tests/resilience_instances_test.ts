/**
 * Three app processes with their crons on, sending through the Mailgun
 * transport to a fake Mailgun in this test process: every queued outreach
 * reaches Mailgun exactly once, whichever process sends it.
 *
 * This extends tests/instances_test.ts (the operations engineer's: each job
 * once per tick, outbox transport). The outbox stores one message per token
 * by a unique index, so a double send would be absorbed there; here the
 * messages are counted outside the app, where a duplicate cannot hide.
 */
import assert from "node:assert/strict";
import { type AppProcess, startApp } from "@/bench/app_process.ts";
import { startFakeMailgun } from "@/bench/fake_mailgun.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { TEST_ENV } from "@/tests/helpers/server.ts";

const ROWS = 240;

Deno.test("[e2e] three instances sending through Mailgun - each outreach reaches Mailgun exactly once", async () => {
  const db = await useAppDatabase("instances_mailgun");
  const fake = startFakeMailgun();
  const apps: AppProcess[] = [];
  try {
    await db.sql`insert into mailboxes (domain, email, status, health_score, warmup_enabled, daily_cap,
        smtp_host, smtp_username, smtp_password_encrypted)
      select 'inst.example', 'sender' || i || '@inst.example', 'active', 100, false, 100000,
        'smtp.inst.example', 'sender' || i, 'unused'
      from generate_series(1, 3) as i`;
    await db.sql`
      with c as (insert into companies (name, domain) values ('Inst Co', 'instco.example') returning id),
      j as (insert into jobs (source, title, company_id) select 'test', 'Engineer', id from c returning id),
      u as (insert into users (email, full_name, email_verified, subscription_tier)
             values ('inst@example.test', 'Inst', true, 'enterprise') returning id),
      a as (insert into applications (user_id, job_id) select u.id, j.id from u, j returning id),
      ct as (insert into contacts (company_id, full_name, email, source)
             select c.id, 'Contact ' || i, 'contact' || i || '@instco.example', 'test'
             from c, generate_series(1, ${ROWS}::int) as i returning id)
      insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status, queued_at,
                            due_at, outreach_token, unsubscribe_token)
      select a.id, ct.id, 1, 'Hello ' || ct.id, 'Body', '', 'queued', now(),
             now() - interval '1 minute', 'inst-' || md5(ct.id::text), 'unsub-' || md5(ct.id::text)
      from a, ct`;
    const env = {
      ...TEST_ENV,
      DATABASE_URL: db.url,
      ROLEFERRY_CRON: "on",
      DENO_CRON_TEST_SCHEDULE_OFFSET: "3000",
      MAIL_TRANSPORT: "mailgun",
      MAILGUN_API_KEY: fake.apiKey,
      MAILGUN_URL: fake.url,
      NO_COLOR: "1",
    };
    for (let i = 0; i < 3; i++) apps.push(await startApp(env));
    const deadline = Date.now() + 90_000;
    while (fake.messages.length < ROWS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 7_000)); // two more ticks in every process: nothing more may go out

    const counts = fake.countsByOutreach();
    assert.deepEqual([...counts].filter(([, n]) => n > 1), [], "no outreach reached Mailgun twice");
    assert.equal(counts.size, ROWS, `every outreach reached Mailgun (${counts.size}/${ROWS})`);
    const rows = await db.sql<{ outreach_token: string; status: string; provider_message_id: string }[]>`
      select outreach_token, status, provider_message_id from outreach`;
    const ids = new Map(fake.messages.map((m) => [m.outreach, m.id]));
    const wrong = rows.filter((r) =>
      r.status !== "sent" || ids.get(r.outreach_token) !== r.provider_message_id
    );
    assert.deepEqual(wrong.slice(0, 5), [], "each row records the message id Mailgun gave for it");
    const [{ counted }] = await db.sql`select sum(sent_today)::int as counted from mailboxes`;
    assert.equal(counted, ROWS, "the caps counted each send once");
    assert.ok(apps.every((a) => !a.hasExited()), "all three instances are still up");
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await fake.close();
    await db.drop();
  }
});
