/**
 * The dispatcher killed with SIGKILL during sends, five times: nothing is sent
 * twice and nothing is lost.
 *
 * Each round runs the dispatcher (`deno task job dispatch-outreach`) as its own process against
 * a loopback fake Mailgun that lives in this (test) process, so what was
 * really "sent" is counted outside the process that dies. The kill lands the
 * moment the fake accepts a message, before the dispatcher hears the answer:
 * the worst moment, leaving "maybe sent" rows. Afterwards one more run (in
 * this process, with the recovery grace period at 0) must reconcile every
 * maybe-sent row with the provider and send the rest. Between runs the test
 * makes time pass instead of waiting: job and row leases (5 minutes) and the
 * maybe-sent hold (15 minutes) run out. Every send costs one credit: the charge count must equal the sends.
 */
import assert from "node:assert/strict";
import { loadConfig, resolveSecret, setConfig } from "@/fresh.config.ts";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "@/tests/helpers/app.ts";
import { startFakeMailgun } from "@/bench/fake_mailgun.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { TEST_ENV } from "@/tests/helpers/server.ts";

const ROWS = 400;
const KILLS = 5;

Deno.test("[e2e] dispatcher SIGKILLed five times mid-send - nothing sent twice, nothing lost", async () => {
  const db = await useAppDatabase("dispatch_kill");
  const fake = startFakeMailgun();
  try {
    await db.sql`insert into mailboxes (domain, email, status, health_score, warmup_enabled, daily_cap,
        smtp_host, smtp_username, smtp_password_encrypted)
      select 'kill.example', 'sender' || i || '@kill.example', 'active', 100, false, 100000,
        'smtp.kill.example', 'sender' || i, 'unused'
      from generate_series(1, 4) as i`;
    // Every send takes one credit (no monthly allowance, no day cap), so credits are counted exactly.
    await db.sql`update plan_limits set emails_per_month = 0, daily_sends = null where tier = 'pro'`;
    await db.sql`
      with c as (insert into companies (name, domain) values ('Kill Co', 'killco.example') returning id),
      j as (insert into jobs (source, title, company_id) select 'test', 'Engineer', id from c returning id),
      u as (insert into users (email, full_name, email_verified, subscription_tier, credits_remaining)
             values ('kill@example.test', 'Kill', true, 'pro', ${ROWS + 50}::int) returning id),
      a as (insert into applications (user_id, job_id) select u.id, j.id from u, j returning id),
      ct as (insert into contacts (company_id, full_name, email, source)
             select c.id, 'Contact ' || i, 'contact' || i || '@killco.example', 'test'
             from c, generate_series(1, ${ROWS}::int) as i returning id)
      insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status, queued_at,
                            due_at, outreach_token, unsubscribe_token)
      select a.id, ct.id, 1, 'Hello ' || ct.id, 'Body', '', 'queued', now(),
             now() - interval '1 minute', 'kill-' || md5(ct.id::text), 'unsub-' || md5(ct.id::text)
      from a, ct`;

    const env = {
      ...TEST_ENV,
      DATABASE_URL: db.url,
      MAIL_TRANSPORT: "mailgun",
      MAILGUN_API_KEY: fake.apiKey,
      MAILGUN_URL: fake.url,
      NO_COLOR: "1",
    };
    const kills: number[] = [];
    for (let round = 0; round < KILLS; round++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/job.ts", "dispatch-outreach"], // what `deno task job` runs, without the task runner
        cwd: new URL("../", import.meta.url).pathname,
        env,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      // what the run printed, for the message when it ends before the kill
      const output = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()])
        .then(([out, err]) => `${out}\n${err}`.trim());
      const target = fake.messages.length + 20 + round * 7;
      let killed = false;
      fake.onMessage = () => {
        if (!killed && fake.messages.length >= target) {
          killed = true;
          child.kill("SIGKILL"); // the answer to this very message never reaches the dispatcher
        }
      };
      const status = await child.status;
      fake.onMessage = undefined;
      assert.ok(
        killed,
        `round ${round + 1}: the dispatcher was still sending when killed (exit ${status.code}, ` +
          `${fake.messages.length}/${target} messages): ${(await output).slice(-800)}`,
      );
      assert.equal(status.signal, "SIGKILL");
      kills.push(fake.messages.length);
      // Time passes: the dead run's job lease and row leases (5 minutes each, so that a crash cannot lead to a
      // double run or send) run out; the next round may then meet this round's "maybe sent" rows.
      await db.sql`update job_runs set started_at = now() - interval '1 hour' where outcome = 'running'`;
      await db
        .sql`update outreach set lease_until = now() - interval '1 second' where lease_until is not null`;
    }
    assert.ok(fake.messages.length < ROWS, "the kills left work to finish");
    const [{ maybe }] = await db.sql`select count(*)::int as maybe from outreach
                                     where status = 'queued' and send_started_at is not null`;
    assert.ok(maybe >= 1, `the kills left rows "maybe sent" (${maybe})`);

    // Time passes: maybe-sent rows held back for the provider lookup's grace period (15 minutes) are due again.
    await db.sql`update outreach set due_at = least(due_at, now()) where status = 'queued'`;
    const config = setConfig(loadConfig({ ...env, PORT: "0" }));
    await resolveSecret(config);
    const result = await dispatchOutreach(appOn(db.sql), { recoveryGraceMs: 0, maxRuntimeMs: 60_000 });
    assert.ok(
      result.recovered >= 1,
      `maybe-sent rows found at the provider were recorded, not resent (${result.recovered})`,
    );

    const counts = fake.countsByOutreach();
    const twice = [...counts].filter(([, n]) => n > 1);
    assert.deepEqual(twice, [], "nothing sent twice");
    const rows = await db.sql<
      { outreach_token: string; status: string; provider_message_id: string | null }[]
    >`
      select outreach_token, status, provider_message_id from outreach order by id`;
    assert.equal(rows.length, ROWS);
    const lost = rows.filter((r) => counts.get(r.outreach_token) !== 1);
    assert.deepEqual(
      lost.map((r) => r.outreach_token).slice(0, 5),
      [],
      "nothing lost: every row reached Mailgun",
    );
    const byToken = new Map(fake.messages.map((m) => [m.outreach, m.id]));
    const wrong = rows.filter((r) =>
      r.status !== "sent" || r.provider_message_id !== byToken.get(r.outreach_token)
    );
    assert.deepEqual(
      wrong.slice(0, 5),
      [],
      "every row is recorded as sent with the message id Mailgun gave for it",
    );
    // Credits: charged in the send record's statement, so N sent means exactly N charged, kills included.
    const [charges] = await db.sql`
      select count(*)::int as n, count(*) filter (where from_credits)::int as from_credits,
             count(distinct (outreach_id, queued_at))::int as rows
      from send_charges`;
    assert.deepEqual(charges, { n: ROWS, from_credits: ROWS, rows: ROWS });
    const [user] = await db.sql`
      select u.credits_remaining, (select sum(sends)::int from usage_daily d where d.user_id = u.id) as sends
      from users u where email = 'kill@example.test'`;
    assert.deepEqual(user, { credits_remaining: 50, sends: ROWS });
  } finally {
    await fake.close();
    await db.drop();
  }
});
