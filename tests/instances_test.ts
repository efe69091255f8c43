/**
 * [e2e] Several instances on one database (contract §4: "with several app
 * processes on one database each run happens once"): three real
 * `deno run -A main.ts` processes with ROLEFERRY_CRON=on share a test database.
 * DENO_CRON_TEST_SCHEDULE_OFFSET makes every Deno.cron in every process fire
 * every 3 s, far more often than the minute ticks the registry claims, so the
 * processes keep racing for the same ticks. Each (job, tick) must run exactly
 * once, and every queued outreach must be sent exactly once (MAIL_TRANSPORT=outbox
 * stores each message; one stored message per outreach token).
 */
import assert from "node:assert/strict";
import type { Sql } from "@/db/client.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { TEST_ENV } from "@/tests/helpers/server.ts";
import { JOB_NAMES } from "@/jobs/registry.ts";
import { type MainProcess, spawnMain } from "@/tests/helpers/main_process.ts";

type Instance = MainProcess;

function spawnInstance(databaseUrl: string): Instance {
  return spawnMain({
    ...TEST_ENV,
    PORT: "0",
    DATABASE_URL: databaseUrl,
    ROLEFERRY_CRON: "on",
    DENO_CRON_TEST_SCHEDULE_OFFSET: "3000",
  });
}

interface RunLine {
  job: string;
  tick: string;
  outcome: string;
  instance: string;
}

/** A sender with an application, `count` contacts with one due step each, and two roomy mailboxes. */
async function queueOutreach(sql: Sql, count: number): Promise<number> {
  const [user] = await sql`insert into users (email, full_name, email_verified, subscription_tier)
    values ('many@test.io', 'Many', true, 'enterprise') returning id`;
  const [company] = await sql`insert into companies (name, domain) values ('Many', 'many.test') returning id`;
  const [job] =
    await sql`insert into jobs (source, title, company_id) values ('t', 'T', ${company.id}) returning id`;
  const [app] =
    await sql`insert into applications (user_id, job_id) values (${user.id}, ${job.id}) returning id`;
  await sql`
    insert into mailboxes (domain, email, status, daily_cap, smtp_host, smtp_username, smtp_password_encrypted)
    values ('many.test', 'a@many.test', 'active', 500, 'smtp', 'u', 'x'),
           ('many.test', 'b@many.test', 'active', 500, 'smtp', 'u', 'x')`;
  const rows = await sql`
    with c as (
      insert into contacts (company_id, full_name, email, source)
      select ${company.id}::int, 'C' || i, 'c' || i || '@people.test', 't' from generate_series(1, ${count}::int) i
      returning id
    )
    insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, due_at,
                          outreach_token, unsubscribe_token)
    select ${app.id}::int, c.id, 1, 'Hello', 'Body', '', now() - interval '1 minute',
           md5(random()::text || c.id), md5(random()::text || c.id || 'u')
    from c
    returning id`;
  return rows.length;
}

function jobRuns(lines: string[]): RunLine[] {
  return lines.filter((l) => l.includes('"msg":"job run"')).map((l) => JSON.parse(l));
}

Deno.test({
  name: "[e2e] three app instances on one database - each job runs once per tick, no outreach twice",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await useAppDatabase("instances");
    const queued = await queueOutreach(db.sql, 60);
    const instances = [1, 2, 3].map(() => spawnInstance(db.url));
    try {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("instances did not start within 40 s")), 40_000)
      );
      const urls = await Promise.race([Promise.all(instances.map((i) => i.listening)), timeout]);
      assert.equal(new Set(urls).size, 3);
      for (const url of urls) {
        const health = await fetch(`${url}/healthz`);
        assert.equal(health.status, 200);
        await health.body?.cancel();
      }
      // at least five firings of every job in every process, and until the queue is empty (one dispatch run
      // per minute tick: a run that stopped early waits for the next minute), at most 75 s
      const started = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 1000));
        const [{ left }] = await db.sql`select count(*)::int as left from outreach where status = 'queued'`;
        if ((left === 0 && Date.now() - started >= 15_000) || Date.now() - started >= 75_000) break;
      }
    } finally {
      for (const instance of instances) instance.child.kill("SIGTERM");
      await Promise.all(instances.map((i) => i.child.status));
      await Promise.all(instances.map((i) => i.done));
    }

    const runs = instances.flatMap((i) => jobRuns(i.lines));
    const summary: Record<string, Record<string, number>> = {};
    for (const run of runs) {
      summary[run.job] ??= { ok: 0, error: 0, skipped: 0 };
      summary[run.job][run.outcome]++;
    }
    console.table(summary);
    for (
      const line of instances.flatMap((i) => i.lines).filter((l) => l.includes('"outcome":"error"')).slice(
        0,
        3,
      )
    ) {
      console.log(line.slice(0, 500));
    }
    const ok = runs.filter((r) => r.outcome === "ok" || r.outcome === "error");
    const skipped = runs.filter((r) => r.outcome === "skipped");
    // every job ran, and no (job, tick) ran twice, across the three processes
    const ticks = new Map<string, string[]>();
    for (const run of ok) {
      const key = `${run.job}@${run.tick}`;
      ticks.set(key, [...(ticks.get(key) ?? []), run.instance]);
    }
    for (const [key, who] of ticks) {
      const oks = ok.filter((r) => `${r.job}@${r.tick}` === key && r.outcome === "ok").length;
      assert.ok(oks <= 1, `${key} ran ${oks} times (${who.join(", ")})`);
    }
    for (const name of JOB_NAMES) {
      assert.ok(
        ok.some((r) => r.job === name && r.outcome === "ok"),
        `${name} ran successfully at least once`,
      );
    }
    // the processes really competed: most firings found their tick taken, in more than one process
    assert.ok(skipped.length > ok.length, `${skipped.length} skipped vs ${ok.length} ran`);
    assert.ok(new Set(skipped.map((r) => r.instance)).size >= 2);

    // the database agrees with the logs, and no claim is left running after a clean shutdown
    const rows = await db.sql`select job, tick, outcome, attempts from job_runs order by job, tick`;
    assert.equal(rows.filter((r) => r.outcome === "ok").length, ok.filter((r) => r.outcome === "ok").length);
    assert.equal(rows.filter((r) => r.outcome === "running").length, 0);

    // no outreach went out twice (one stored message per token, distinct provider ids), and every one went out
    const [outbox] = await db.sql`
      select count(*)::int as messages, count(distinct outreach_token)::int as tokens from outbox_messages`;
    assert.equal(outbox.messages, outbox.tokens, "an outreach was sent twice");
    const [sent] = await db.sql`
      select count(*) filter (where status = 'sent')::int as sent, count(*)::int as total,
             count(distinct provider_message_id)::int as message_ids
      from outreach`;
    assert.deepEqual(sent, { sent: queued, total: queued, message_ids: queued });
    assert.deepEqual(outbox, { messages: queued, tokens: queued });
    const [{ counted }] = await db.sql`select sum(sent_today)::int as counted from mailboxes`;
    assert.equal(counted, queued);
    await db.drop();
  },
});
