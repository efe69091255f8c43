/**
 * reset-mailboxes and calculate-health against hand-computed mailboxes, and
 * against a copy of the seed's own plpgsql function where that one is not
 * defective. Formula: docs/operations.md, "Mailbox health".
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { calculateMailboxHealth, resetMailboxCounters } from "@/db/mailbox_health.ts";
import { releaseMailbox, releaseMailboxUnits, reserveThisMailbox } from "@/db/mailboxes.ts";
import { runJob } from "@/jobs/registry.ts";
import { testAppOn } from "@/tests/helpers/app.ts";

const db = await useAppDatabase("mailbox_health");
const sql = db.sql;
const jobsApp = await testAppOn(db);

const [user] = await sql`insert into users (email) values ('mh@test.io') returning id`;
const [company] = await sql`insert into companies (name, domain) values ('MH', 'mh.test') returning id`;
const [job] =
  await sql`insert into jobs (source, title, company_id) values ('t', 'T', ${company.id}) returning id`;
const [app] =
  await sql`insert into applications (user_id, job_id) values (${user.id}, ${job.id}) returning id`;
const [contact] = await sql`
  insert into contacts (company_id, full_name, email, source) values (${company.id}, 'C', 'c@mh.test', 't') returning id`;

const DAY = 86400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

async function mailbox(email: string, status: string, warmupDaysAgo: number | null, sentToday = 0) {
  await sql`
    insert into mailboxes (domain, email, status, warmup_start_date, sent_today, smtp_host, smtp_username,
                           smtp_password_encrypted, health_score)
    values ('mh.test', ${email}, ${status}, ${
    warmupDaysAgo === null ? null : ago(warmupDaysAgo)
  }, ${sentToday},
            'smtp.mh.test', 'u', 'x', 100)`;
}

async function sends(email: string, count: number, bounced: number, daysAgo = 0.1) {
  for (let i = 0; i < count; i++) {
    await sql`
      insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status, queued_at, sent_at)
      values (${app.id}, ${contact.id}, 1, 's', 'b', ${email}, ${i < bounced ? "bounced" : "delivered"},
              ${ago(daysAgo + 0.01)}, ${ago(daysAgo)})`;
  }
}

async function complaints(email: string, count: number, daysAgo = 1) {
  for (let i = 0; i < count; i++) {
    await sql`insert into outreach_events (event, mailbox_email, occurred_at) values ('complained', ${email}, ${
      ago(daysAgo)
    })`;
  }
}

/** Every mailbox's count of today, read through its day as every reader does (migration 0100). */
async function sentToday(): Promise<number[]> {
  return (await sql`select mailbox_sent_today(sent_today, sent_today_day) as n from mailboxes order by id`)
    .map((r) => r.n);
}

async function state(email: string) {
  const [row] = await sql`
    select health_score, status, bounce_count_7d, spam_reports_7d, sent_today from mailboxes where email = ${email}`;
  return row;
}

Deno.test("calculate-health - scores hand-computed mailboxes and moves their status", async () => {
  // m1: 2/10 bounced (-100), 1 complaint (-20), warm-up 40 days (+10): 0 -> paused
  await mailbox("m1@mh.test", "warmup", 40);
  await sends("m1@mh.test", 10, 2);
  await complaints("m1@mh.test", 1);
  // m2: 1/20 bounced (-25), warm-up 40 days (+10): 85 -> warmup becomes active
  await mailbox("m2@mh.test", "warmup", 40);
  await sends("m2@mh.test", 20, 1);
  // m3: nothing sent, warm-up 10 days: 100, stays in warm-up (not 30 days yet)
  await mailbox("m3@mh.test", "warmup", 10);
  // m4: 1/8 bounced: 62.5 rounds to 63 -> 37 -> paused
  await mailbox("m4@mh.test", "active", null);
  await sends("m4@mh.test", 8, 1);
  // m5: 2 complaints this week (-40), one 8 days old (ignored), bounces 10 days ago (ignored): 60, stays active
  await mailbox("m5@mh.test", "active", null);
  await complaints("m5@mh.test", 2);
  await complaints("m5@mh.test", 1, 8);
  await sends("m5@mh.test", 4, 4, 10);
  // m6: paused stays paused even when healthy again
  await mailbox("m6@mh.test", "paused", 90);
  // m7: warm-up without a start date: no bonus, never promoted
  await mailbox("m7@mh.test", "warmup", null);

  // Only the mailboxes whose numbers change are written: m3, m6 and m7 keep their 100.
  const updated = await calculateMailboxHealth(sql);
  assert.equal(updated, 4);
  assert.deepEqual(await state("m1@mh.test"), {
    health_score: 0,
    status: "paused",
    bounce_count_7d: 2,
    spam_reports_7d: 1,
    sent_today: 0,
  });
  assert.deepEqual(await state("m2@mh.test"), {
    health_score: 85,
    status: "active",
    bounce_count_7d: 1,
    spam_reports_7d: 0,
    sent_today: 0,
  });
  assert.equal((await state("m3@mh.test")).health_score, 100);
  assert.equal((await state("m3@mh.test")).status, "warmup");
  assert.deepEqual(await state("m4@mh.test"), {
    health_score: 37,
    status: "paused",
    bounce_count_7d: 1,
    spam_reports_7d: 0,
    sent_today: 0,
  });
  assert.deepEqual(await state("m5@mh.test"), {
    health_score: 60,
    status: "active",
    bounce_count_7d: 0,
    spam_reports_7d: 2,
    sent_today: 0,
  });
  assert.equal((await state("m6@mh.test")).health_score, 100);
  assert.equal((await state("m6@mh.test")).status, "paused");
  assert.equal((await state("m7@mh.test")).health_score, 100);
  assert.equal((await state("m7@mh.test")).status, "warmup");

  // idempotent: a second run changes nothing, and writes nothing
  const snapshot = await sql`select email, health_score, status from mailboxes order by email`;
  assert.equal(await calculateMailboxHealth(sql), 0);
  assert.deepEqual(await sql`select email, health_score, status from mailboxes order by email`, snapshot);
});

Deno.test("reset-mailboxes - yesterday's counters read as 0 without being written; counted once per UTC day", async () => {
  // Sends of yesterday: every counter still holds yesterday's day.
  await sql`update mailboxes set sent_today = 7, sent_today_day = (now() at time zone 'UTC')::date - 1`;
  const today = new Date();
  const versions = async () => (await sql`select xmin::text as v from mailboxes order by id`).map((r) => r.v);
  const before = await versions();
  const first = await resetMailboxCounters(sql, today);
  assert.equal(first.counters_reset, 7, "seven counters held an earlier day's sends");
  assert.equal(first.health_updated, 0, "re-scored, and nothing changed since the last scoring");
  assert.deepEqual(await versions(), before, "no mailbox row written");
  assert.deepEqual(await sentToday(), [0, 0, 0, 0, 0, 0, 0], "yesterday's count reads as 0 today");
  const [{ raw }] = await sql`select count(*)::int as raw from mailboxes where sent_today = 7`;
  assert.equal(raw, 7, "the stored pair is left as it was");

  // sends after midnight roll their mailbox's counter over to today (db/mailboxes.ts addUnits)
  await sql`update mailboxes set sent_today = 3, sent_today_day = (now() at time zone 'UTC')::date`;
  const again = await resetMailboxCounters(sql, today);
  assert.deepEqual(again, { counters_reset: 0, health_updated: 0 }, "a second run the same day");
  assert.deepEqual(await sentToday(), [3, 3, 3, 3, 3, 3, 3], "today's sends are kept");

  const nextDay = await resetMailboxCounters(sql, new Date(Date.now() + DAY));
  assert.equal(nextDay.counters_reset, 7, "tomorrow's run counts today's counters");
  await sql`delete from mailbox_counter_resets`; // the next tests run today's reset for the first time
});

Deno.test("reset-mailboxes - a unit reserved on a new UTC day before that day's reset still counts", async () => {
  // 00:00:01: every counter still holds yesterday's sends, and the dispatcher's tick runs before the reset's.
  await sql`update mailboxes set sent_today = 7, sent_today_day = (now() at time zone 'UTC')::date - 1`;
  const [{ id }] = await sql`
    update mailboxes set status = 'active', health_score = 100, warmup_enabled = false, daily_cap = 50
    where email = 'm2@mh.test' returning id`;
  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
  const unit = await reserveThisMailbox(sql, id);
  assert.ok(unit, "a unit of today's capacity");
  assert.equal(unit.counter_day, today);
  const counts = async () =>
    Object.fromEntries(
      (await sql`select email, mailbox_sent_today(sent_today, sent_today_day) as sent_today from mailboxes
        order by email`).map((r) => [r.email, r.sent_today]),
    );
  assert.equal((await counts())["m2@mh.test"], 1, "the new day's count starts from 0");

  const reset = await resetMailboxCounters(sql, new Date());
  assert.equal(reset.counters_reset, 6, "the six counters still on yesterday");
  assert.deepEqual(Object.values(await counts()).sort(), [0, 0, 0, 0, 0, 0, 1], "the send of today is kept");

  await releaseMailboxUnits(sql, [{ id, counter_day: yesterday }]);
  assert.equal((await counts())["m2@mh.test"], 1, "a unit of yesterday given back leaves today's count");
  await releaseMailbox(sql, unit);
  assert.equal((await counts())["m2@mh.test"], 0, "today's unit given back");
});

Deno.test("reset-mailboxes - through the registry: one JSON result with rows", async () => {
  await sql`update mailboxes set sent_today = 2`;
  const run = await runJob(jobsApp, "reset-mailboxes", {
    tick: new Date("2031-06-01T00:00:00Z"),
    trigger: "cron",
  });
  assert.equal(run.outcome, "ok");
  assert.equal(run.rows, 7);
  assert.deepEqual(run.result, { rows: 7, counters_reset: 7, health_updated: 0 });
});

Deno.test("mailbox counters - follow sends, bounces, complaints and deletions; the check job finds no drift", async () => {
  await mailbox("k@mh.test", "active", null);
  const stats = async () => {
    const [row] = await sql`
      select coalesce(sum(sent), 0)::int as sent, coalesce(sum(bounced), 0)::int as bounced,
             coalesce(sum(complaints), 0)::int as complaints
      from mailbox_daily_stats where mailbox_email = 'k@mh.test'`;
    return row;
  };
  await sends("k@mh.test", 5, 0);
  assert.deepEqual(await stats(), { sent: 5, bounced: 0, complaints: 0 });
  // a bounce arrives later: the row's status changes, and it counts on the day it was sent
  await sql`update outreach set status = 'bounced'
    where id = (select min(id) from outreach where from_mailbox = 'k@mh.test')`;
  await complaints("k@mh.test", 2);
  assert.deepEqual(await stats(), { sent: 5, bounced: 1, complaints: 2 });
  // a queued row that is sent later (the dispatcher's path): from_mailbox and sent_at set together
  await sql`
    insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status)
    values (${app.id}, ${contact.id}, 2, 's', 'b', '', 'queued')`;
  assert.equal((await stats()).sent, 5);
  await sql`update outreach set from_mailbox = 'k@mh.test', status = 'sent', sent_at = now()
    where from_mailbox = '' and step_no = 2`;
  assert.equal((await stats()).sent, 6);
  await sql`delete from outreach where from_mailbox = 'k@mh.test' and step_no = 2`;
  assert.equal((await stats()).sent, 5);

  const run = await runJob(jobsApp, "check-mailbox-counters");
  assert.equal(run.outcome, "ok");
  assert.deepEqual(run.result, { rows: 0, drift: 0, cells: [] });
  // a write around the triggers is drift, named by mailbox and day
  await sql`update mailbox_daily_stats set sent = sent + 1 where mailbox_email = 'k@mh.test'
    and day = (now() at time zone 'UTC')::date - 0`;
  const drifted = await runJob(jobsApp, "check-mailbox-counters");
  const result = drifted.result as { drift: number; cells: { mailbox_email: string }[] };
  assert.ok(result.drift >= 1);
  assert.equal(result.cells[0].mailbox_email, "k@mh.test");
  await sql`select rebuild_mailbox_daily_stats()`;
  assert.deepEqual((await runJob(jobsApp, "check-mailbox-counters")).result, {
    rows: 0,
    drift: 0,
    cells: [],
  });
});

Deno.test("calculate-health - the window is today and the six UTC days before it", async () => {
  await mailbox("w@mh.test", "active", null);
  const startOfDay = (daysAgo: number) => {
    const d = new Date();
    d.setUTCHours(0, 0, 30, 0);
    return new Date(d.getTime() - daysAgo * DAY);
  };
  for (const [daysAgo, status] of [[6, "bounced"], [7, "bounced"], [0, "delivered"]] as const) {
    const at = startOfDay(daysAgo);
    await sql`
      insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status, queued_at, sent_at)
      values (${app.id}, ${contact.id}, 1, 's', 'b', 'w@mh.test', ${status}, ${at}, ${at})`;
  }
  await calculateMailboxHealth(sql);
  // 1 bounce of 2 sends in the window (6 days ago at 00:00:30 counts; 7 days ago does not): 100 - 250 -> 0
  assert.deepEqual(await state("w@mh.test"), {
    health_score: 0,
    status: "paused",
    bounce_count_7d: 1,
    spam_reports_7d: 0,
    sent_today: 0,
  });
});

// The seed's functions exactly as data-architecture.md sections 2.4-2.5 write them, under other names
// (bench_seed_*): the same fixture the scheduled-jobs benchmark uses as its baseline.
const SEED_ORIGINAL = new URL("../bench/fixtures/seed_functions.sql", import.meta.url);

Deno.test("calculate-health - agrees with the seed's function wherever that one is not defective", async () => {
  await sql.unsafe(await Deno.readTextFile(SEED_ORIGINAL));
  await sql`delete from outreach`;
  await sql`delete from outreach_events`;
  await sql`delete from mailboxes`;
  // Where the seed is right: every send of the week happened today (its denominator sent_today is then the
  // 7-day send count) and the stored 7-day counters are current.
  const cases: [string, string, number | null, number, number, number][] = [
    // email, status, warm-up days ago, sent today, bounced, complaints
    ["a@mh.test", "warmup", 40, 10, 2, 1],
    ["b@mh.test", "warmup", 40, 20, 1, 0],
    ["c@mh.test", "warmup", 10, 5, 0, 0],
    ["d@mh.test", "active", null, 8, 1, 0],
    ["e@mh.test", "active", null, 30, 0, 2],
    ["f@mh.test", "active", 60, 40, 3, 1],
    ["g@mh.test", "paused", 90, 12, 0, 0],
    ["h@mh.test", "warmup", 31, 3, 0, 1],
  ];
  for (const [email, status, warmup, sent, bounced, complained] of cases) {
    await mailbox(email, status, warmup, sent);
    await sends(email, sent, bounced, 0.01);
    await complaints(email, complained, 0.01);
    await sql`update mailboxes set bounce_count_7d = ${bounced}, spam_reports_7d = ${complained}
              where email = ${email}`;
  }
  const initial = await sql`select id, health_score, status from mailboxes`;

  await sql`select bench_seed_calculate_mailbox_health()`;
  const seed = await sql`select email, health_score, status from mailboxes order by email`;
  for (const row of initial) {
    await sql`update mailboxes set health_score = ${row.health_score}, status = ${row.status} where id = ${row.id}`;
  }
  await calculateMailboxHealth(sql);
  const ours = await sql`select email, health_score, status from mailboxes order by email`;
  assert.deepEqual(ours, seed);
  assert.ok(new Set(ours.map((r) => r.health_score)).size >= 5, "the cases cover different scores");

  // Where the seed is defective: after the midnight reset sent_today is 0, so its bounce penalty vanishes.
  await sql`update mailboxes set sent_today = 0, health_score = 100, status = 'active' where email = 'd@mh.test'`;
  await sql`select bench_seed_calculate_mailbox_health()`;
  assert.equal((await state("d@mh.test")).health_score, 100);
  await calculateMailboxHealth(sql);
  assert.equal((await state("d@mh.test")).health_score, 37);
});

Deno.test("mailbox health - teardown", async () => {
  await db.drop();
});
