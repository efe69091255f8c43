/**
 * Migration 0030 on a database that already holds outreach rows (migrated to 29,
 * filled, then migrated the rest), and the maintain-partitions job.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { createPool, withUser } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import { listOutreachPartitions } from "@/db/partitions.ts";
import { maintainPartitions } from "@/jobs/maintain_partitions.ts";
import { testAppOn } from "@/tests/helpers/app.ts";

function serverUrl(): string {
  const url = Deno.env.get("TEST_DATABASE_URL");
  if (!url) throw new Error("run with `deno task test`");
  return url;
}

const name = `partition_${crypto.randomUUID().slice(0, 8)}`;
const dbUrl = new URL(serverUrl());
dbUrl.pathname = `/${name}`;
/** This file's pool (it connects on first use, after the setup created the database). */
const sql = createPool(dbUrl.toString(), { max: 4 });

function monthName(date: Date): string {
  return `outreach_${date.getUTCFullYear()}_${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

function addMonths(date: Date, months: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
}

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;
let before: Row[] = [];
let userA = 0;
let userB = 0;
let appA = 0;

Deno.test("0030 - setup: a database at migration 29 with outreach rows across months", async () => {
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  await migrate(sql, { target: 29 });
  const [relkind] = await sql`select relkind::text from pg_class where oid = 'outreach'::regclass`;
  assert.equal(relkind.relkind, "r");

  [{ id: userA }, { id: userB }] = await sql`
    insert into users (email, full_name) values ('a@part.test', 'A'), ('b@part.test', 'B') returning id`;
  const [company] = await sql`insert into companies (name, domain) values ('Acme', 'acme.test') returning id`;
  const [job] =
    await sql`insert into jobs (source, title, company_id) values ('t', 'Engineer', ${company.id}) returning id`;
  const [contact] = await sql`
    insert into contacts (company_id, full_name, email, source) values (${company.id}, 'Cee', 'c@acme.test', 't')
    returning id`;
  [{ id: appA }] =
    await sql`insert into applications (user_id, job_id) values (${userA}, ${job.id}) returning id`;
  const [{ id: appB }] =
    await sql`insert into applications (user_id, job_id) values (${userB}, ${job.id}) returning id`;
  await sql`update applications set last_action_at = '2020-01-01T00:00:00Z'`;
  // rows 14 months ago, 2 months ago, now, one with queued_at NULL (allowed before 0030), sent and queued ones
  const now = new Date();
  const queuedTimes = [addMonths(now, -14), addMonths(now, -2), now, null, addMonths(now, 1)];
  let step = 1;
  for (const [i, queuedAt] of queuedTimes.entries()) {
    await sql`
      insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status, queued_at,
                            sent_at, link_clicks)
      values (${i % 2 ? appB : appA}, ${contact.id}, ${step++}, ${"subject " + i}, 'body', 'box@acme.test',
              ${i < 3 ? "sent" : "queued"}, ${queuedAt}, ${
      i < 3 ? new Date(now.getTime() - 3600_000 * i) : null
    },
              ${i})`;
  }
  await sql`delete from outreach where subject = 'subject 2'`; // a gap in the ids: the sequence must not reuse it
  await sql`update applications set last_action_at = '2020-01-01T00:00:00Z'`;
  before = await sql`select * from outreach order by id`;
  assert.equal(before.length, 4);
});

Deno.test("0030 - converts outreach to monthly partitions keeping rows, names, triggers, RLS and grants", async () => {
  const { applied } = await migrate(sql);
  assert.ok(applied.includes("0030_partition_outreach.sql"));

  const [parent] = await sql`
    select c.relkind::text, c.relrowsecurity, pg_get_partkeydef(c.oid) as key
    from pg_class c where c.oid = 'outreach'::regclass`;
  assert.deepEqual(parent, { relkind: "p", relrowsecurity: true, key: "RANGE (queued_at)" });

  // the rows, column for column (the NULL queued_at got a value)
  const after = await sql`select * from outreach order by id`;
  assert.equal(after.length, before.length);
  for (const [i, row] of before.entries()) {
    for (const [column, value] of Object.entries(row)) {
      if (column === "queued_at" && value === null) {
        assert.ok(after[i].queued_at instanceof Date, "NULL queued_at filled in");
        continue;
      }
      assert.deepEqual(after[i][column], value, `row ${row.id} column ${column}`);
    }
  }
  // copying fired no trigger
  const [{ touched }] = await sql`
    select count(*)::int as touched from applications where last_action_at > '2020-01-01T00:00:00Z'`;
  assert.equal(touched, 0);

  // the primary key, the seed's (and 0020's) index names on the parent, the triggers, the policies
  const [pk] = await sql`
    select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'outreach'::regclass and contype = 'p'`;
  assert.equal(pk.def, "PRIMARY KEY (id, queued_at)");
  const indexes = (await sql`select indexname from pg_indexes where tablename = 'outreach'`).map((r) =>
    r.indexname
  );
  for (
    const index of [
      "idx_outreach_application",
      "idx_outreach_contact",
      "idx_outreach_status_queued",
      "idx_outreach_mailbox",
      "idx_outreach_sent_at",
      "idx_outreach_due",
    ]
  ) assert.ok(indexes.includes(index), `index ${index}`);
  // The seed's row triggers survive the conversion (later migrations add more: 0075's, and statement-level ones).
  const triggers = (await sql`
    select tgname from pg_trigger
    where tgrelid = 'outreach'::regclass and not tgisinternal and (tgtype & 1) = 1 order by tgname`)
    .map((r) => r.tgname);
  for (const seed of ["trg_outreach_reply", "trg_outreach_updates_application"]) {
    assert.ok(triggers.includes(seed), `the seed's ${seed} survives (${triggers.join(", ")})`);
  }
  const fks = (await sql`
    select conname from pg_constraint where conrelid = 'outreach'::regclass and contype = 'f' order by conname`)
    .map((r) => r.conname);
  assert.deepEqual(fks, ["fk_outreach_application", "fk_outreach_contact"]);
  const policies = (await sql`select tablename, policyname from pg_policies
    where tablename in ('outreach', 'outreach_events') order by 1, 2`).map((r) =>
    `${r.tablename}.${r.policyname}`
  );
  assert.deepEqual(policies, [
    "outreach.outreach_isolation",
    "outreach.readonly_all",
    "outreach_events.outreach_event_isolation",
    "outreach_events.readonly_all",
  ]);
  const [grants] = await sql`
    select has_table_privilege('app_user', 'outreach', 'SELECT, INSERT, UPDATE, DELETE') as app,
           has_table_privilege('readonly', 'outreach', 'SELECT') as ro,
           has_table_privilege('app_user', 'outreach_default', 'SELECT') as app_default`;
  assert.deepEqual(grants, { app: true, ro: true, app_default: false });

  // partitions: every month from the oldest row through three months ahead, and the default
  const now = new Date();
  const names = (await listOutreachPartitions(sql)).map((p) => p.name);
  for (let m = -14; m <= 3; m++) {
    assert.ok(names.includes(monthName(addMonths(now, m))), monthName(addMonths(now, m)));
  }
  assert.equal(names.at(-1), "outreach_default");
  const [{ in_default }] = await sql`select count(*)::int as in_default from outreach_default`;
  assert.equal(in_default, 0);
});

Deno.test("0030 - the partitioned table works: ids continue, triggers fire, RLS isolates users", async () => {
  const maxBefore = Math.max(...before.map((r) => r.id));
  const [contact] = await sql`select id from contacts limit 1`;
  const inserted = await withUser(
    sql,
    userA,
    (tx) =>
      tx`insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox)
       values (${appA}, ${contact.id}, 9, 's', 'b', 'box@acme.test') returning id, status, queued_at`,
  );
  assert.ok(inserted[0].id > maxBefore, "the sequence continues after the old ids");
  assert.equal(inserted[0].status, "queued");
  const [app] = await sql`select last_action_at from applications where id = ${appA}`;
  assert.ok(app.last_action_at > new Date("2021-01-01"), "trg_outreach_updates_application fired");

  const seenByA = await withUser(sql, userA, (tx) => tx`select application_id from outreach`);
  assert.ok(seenByA.length > 0);
  assert.ok(seenByA.every((r) => r.application_id === appA));
  await assert.rejects(
    withUser(sql, userA, (tx) => tx`select * from outreach_default`),
    /permission denied/,
  );

  // a reply cancels the queued steps (trg_outreach_reply on the partitioned parent)
  const [sent] =
    await sql`select id from outreach where application_id = ${appA} and status = 'sent' limit 1`;
  await sql`update outreach set status = 'replied' where id = ${sent.id}`;
  const queued = await sql`select id from outreach where application_id = ${appA} and status = 'queued'`;
  assert.equal(queued.length, 0);
});

Deno.test("maintain-partitions - creates months ahead, moves rows out of the default partition, then is a no-op", async () => {
  const now = new Date();
  const far = addMonths(now, 6);
  const [app] = await sql`select id from applications where id = ${appA}`;
  const [contact] = await sql`select id from contacts limit 1`;
  await sql`
    insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, queued_at)
    values (${app.id}, ${contact.id}, 1, 'far', 'b', 'box@acme.test', ${new Date(
    far.getTime() + 86400_000,
  )})`;
  const [{ in_default }] = await sql`select count(*)::int as in_default from outreach_default`;
  assert.equal(in_default, 1);

  // the months ahead already exist (migration); the far month comes out of the default partition
  const jobsApp = await testAppOn({ sql });
  const first = await maintainPartitions(jobsApp);
  assert.deepEqual(first.created, [monthName(far)]);
  assert.equal(first.rows_moved, 1);
  const [{ still }] = await sql`select count(*)::int as still from outreach_default`;
  assert.equal(still, 0);
  const [moved] = await sql`select tableoid::regclass::text as part from outreach where subject = 'far'`;
  assert.equal(moved.part, monthName(far));
  const [{ app_select }] = await sql`
    select has_table_privilege('app_user', ${monthName(far)}, 'SELECT') as app_select`;
  assert.equal(app_select, false);

  const second = await maintainPartitions(jobsApp);
  assert.deepEqual(second, { rows: 0, created: [], rows_moved: 0 });
});

Deno.test.afterAll(async () => {
  await sql.end();
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});
