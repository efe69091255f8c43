/**
 * The job registry: each tick runs once however many callers race for it, a job
 * never overlaps itself, a failed tick can be retried, every job is idempotent,
 * and `deno task job NAME` prints the run as JSON.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { cronTick, JOB_NAMES, rowsOf, runJob } from "@/jobs/registry.ts";
import { endIdleConnections } from "@/db/maintenance.ts";
import { createPool } from "@/db/client.ts";
import { killJobMidRun, untilOk } from "@/tests/helpers/killed_job.ts";
import { testAppOn } from "@/tests/helpers/app.ts";

const db = await useAppDatabase("jobs_registry");
const sql = db.sql;
const app = await testAppOn(db);

Deno.test("runJob - three racing callers on one tick: one runs, the others skip", async () => {
  const tick = cronTick(Date.parse("2030-01-01T10:00:00.004Z"));
  assert.equal(tick.toISOString(), "2030-01-01T10:00:00.000Z");
  const runs = await Promise.all(
    [1, 2, 3].map(() => runJob(app, "calculate-health", { trigger: "cron", tick })),
  );
  assert.deepEqual(runs.map((r) => r.outcome).sort(), ["ok", "skipped", "skipped"]);
  const [{ count }] = await sql`select count(*)::int as count from job_runs where job = 'calculate-health'`;
  assert.equal(count, 1);

  const late = await runJob(app, "calculate-health", { trigger: "cron", tick });
  assert.equal(late.outcome, "skipped");
  assert.equal(late.reason, "tick_taken");
});

Deno.test("runJob - a run in progress blocks a manual run until its lease expires", async () => {
  await sql`insert into job_runs (job, tick, trigger, instance) values ('expire-jobs', now(), 'cron', 'other')`;
  const blocked = await runJob(app, "expire-jobs");
  assert.equal(blocked.outcome, "skipped");
  assert.equal(blocked.reason, "running");
  // the other process died an hour ago: its claim no longer blocks
  await sql`update job_runs set started_at = now() - interval '2 hours' where instance = 'other'`;
  const ran = await runJob(app, "expire-jobs");
  assert.equal(ran.outcome, "ok");
});

Deno.test("runJob - a run whose process was SIGKILLed is taken over at once, not after its 5-minute lease", async () => {
  await sql`delete from job_runs where job = 'expire-jobs'`;
  await killJobMidRun(sql, db.url, async () => {
    const blocked = await runJob(app, "expire-jobs");
    assert.equal(blocked.outcome, "skipped", "a live run blocks");
    assert.equal(blocked.reason, "running");
  });
  const started = Date.now();
  const ran = await untilOk(() => runJob(app, "expire-jobs"));
  assert.equal(ran.outcome, "ok", `taken over after the kill (${JSON.stringify(ran)})`);
  assert.ok(Date.now() - started < 3000);
  const runs = await sql`select outcome, error from job_runs where job = 'expire-jobs' order by started_at`;
  assert.equal(runs.length, 2);
  assert.equal(runs[0].outcome, "error");
  assert.match(runs[0].error, /process ended/);
  assert.equal(runs[1].outcome, "ok");
});

Deno.test("runJob - a failed tick is recorded, then retried on the same tick", async () => {
  const tick = new Date("2030-02-01T01:00:00Z");
  await sql`alter function maintain_outreach_partitions(integer) rename to maintain_outreach_partitions_away`;
  const failed = await runJob(app, "maintain-partitions", { trigger: "cron", tick });
  await sql`alter function maintain_outreach_partitions_away(integer) rename to maintain_outreach_partitions`;
  assert.equal(failed.outcome, "error");
  assert.match(failed.error ?? "", /maintain_outreach_partitions/);
  const [first] = await sql`select outcome, error, attempts from job_runs where job = 'maintain-partitions'`;
  assert.equal(first.outcome, "error");
  assert.equal(first.attempts, 1);

  const retried = await runJob(app, "maintain-partitions", { trigger: "cron", tick });
  assert.equal(retried.outcome, "ok");
  const [second] = await sql`select outcome, error, attempts from job_runs where job = 'maintain-partitions'`;
  assert.deepEqual(second, { outcome: "ok", error: null, attempts: 2 });
});

Deno.test("expire-jobs - deletes long-expired postings nobody applied to, keeps the rest; idempotent", async () => {
  const [user] = await sql`insert into users (email) values ('ex@test.io') returning id`;
  const [company] = await sql`insert into companies (name, domain) values ('Ex', 'ex.test') returning id`;
  const jobs = await sql`
    insert into jobs (source, title, company_id, expires_at) values
      ('t', 'long expired', ${company.id}, now() - interval '40 days'),
      ('t', 'long expired, applied', ${company.id}, now() - interval '40 days'),
      ('t', 'just expired', ${company.id}, now() - interval '2 days'),
      ('t', 'open', ${company.id}, now() + interval '2 days')
    returning id, title`;
  await sql`insert into applications (user_id, job_id) values (${user.id}, ${jobs[1].id})`;
  const first = await runJob(app, "expire-jobs");
  assert.equal(first.outcome, "ok");
  assert.deepEqual(first.result, { rows: 1, deleted: 1, grace_days: 30 });
  const left = (await sql`select title from jobs where company_id = ${company.id} order by id`).map((r) =>
    r.title
  );
  assert.deepEqual(left, ["long expired, applied", "just expired", "open"]);
  const second = await runJob(app, "expire-jobs");
  assert.equal(second.rows, 0);
});

Deno.test("refresh-match-scores - the cache shows new scores after the run", async () => {
  const [user] = await sql`insert into users (email) values ('ms@test.io') returning id`;
  const [company] = await sql`insert into companies (name, domain) values ('Ms', 'ms.test') returning id`;
  const [job] =
    await sql`insert into jobs (source, title, company_id) values ('t', 'T', ${company.id}) returning id`;
  await sql`insert into applications (user_id, job_id, match_score) values (${user.id}, ${job.id}, 91)`;
  const [{ before }] = await sql`select count(*)::int as before from match_scores where user_id = ${user.id}`;
  assert.equal(before, 0);
  const run = await runJob(app, "refresh-match-scores");
  assert.equal(run.outcome, "ok");
  const rows = await sql`select score, category from match_scores where user_id = ${user.id}`;
  assert.deepEqual(rows.map((r) => ({ ...r })), [{ score: 91, category: "excellent" }]);
});

Deno.test("purge-sessions - deletes sessions ended a week ago and old rate-limit windows; idempotent", async () => {
  const [user] =
    await sql`insert into users (email, full_name) values ('purge@example.com', 'P') returning id`;
  await sql`
    insert into sessions (user_id, token_hash, expires_at, revoked_at)
    values (${user.id}, 'old-expired', now() - interval '8 days', null),
           (${user.id}, 'old-revoked', now() + interval '1 day', now() - interval '8 days'),
           (${user.id}, 'live', now() + interval '1 day', null)`;
  await sql`
    insert into rate_limits (bucket, window_start, hits)
    values ('login:old', now() - interval '2 days', 3), ('login:new', now(), 1)`;
  await sql`
    insert into admin_sessions (token_hash, token_fingerprint, expires_at, revoked_at)
    values ('admin-old', 'f', now() + interval '1 hour', now() - interval '8 days'),
           ('admin-live', 'f', now() + interval '1 hour', null)`;
  const run = await runJob(app, "purge-sessions");
  assert.equal(run.outcome, "ok");
  assert.deepEqual(run.result, {
    rows: 4,
    sessions: 2,
    rate_limits: 1,
    admin_sessions: 1,
    account_tokens: 0,
  });
  const left = await sql`select token_hash::text as token_hash from sessions where user_id = ${user.id}`;
  assert.deepEqual(left.map((r) => r.token_hash), ["live"]);
  const again = await runJob(app, "purge-sessions");
  assert.equal(again.rows, 0);
});

Deno.test("end-idle-connections - ends sessions of this database idle longer than the threshold", async () => {
  // one app connection (the one asking is never ended): no idle pool connection of this test to lose
  const pool = createPool(db.url, { max: 1 });
  const idle = postgres(db.url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: "idle-test" },
  });
  await idle`select 1`;
  const count = async () =>
    (await pool`select count(*)::int as n from pg_stat_activity where application_name = 'idle-test'`)[0].n;
  assert.equal(await count(), 1);
  await new Promise((r) => setTimeout(r, 50));
  const ended = await endIdleConnections(pool, 0);
  assert.ok(ended >= 1, `ended ${ended}`);
  for (let i = 0; i < 50 && await count() > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(await count(), 0);
  await idle.end({ timeout: 1 }).catch(() => {});
  const run = await runJob(app, "end-idle-connections");
  assert.equal(run.outcome, "ok");
  assert.equal(run.rows, 0); // nothing has been idle 10 minutes
  await pool.end({ timeout: 1 });
});

Deno.test("rowsOf - takes rows, else sums numeric fields", () => {
  assert.equal(rowsOf({ rows: 4, sent: 9 }), 4);
  assert.equal(rowsOf({ sent: 2, failed: 1, note: "x" }), 3);
  assert.equal(rowsOf(5), 5);
  assert.equal(rowsOf(undefined), 0);
});

Deno.test("[e2e] deno task job - prints the run as JSON; an unknown name exits 2 listing the jobs", async () => {
  const env = {
    DATABASE_URL: db.url,
    ROLEFERRY_ENV: "test",
    ROLEFERRY_SECRET: "x".repeat(40),
    NO_COLOR: "1",
  };
  const ok = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/job.ts", "calculate-health"],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(ok.code, 0, new TextDecoder().decode(ok.stderr));
  const run = JSON.parse(new TextDecoder().decode(ok.stdout));
  assert.equal(run.name, "calculate-health");
  assert.equal(run.outcome, "ok");
  assert.equal(run.trigger, "manual");
  assert.ok(new TextDecoder().decode(ok.stderr).includes('"msg":"job run"'));

  const bad = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/job.ts", "nope"],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bad.code, 2);
  const message = new TextDecoder().decode(bad.stderr);
  for (const name of JOB_NAMES) assert.ok(message.includes(name), name);
});

Deno.test.afterAll(async () => {
  await db.drop();
});
