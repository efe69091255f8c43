/**
 * Row-level security and the app_user grants of 0001 (db/README.md, "Roles and row-level security"), tested
 * as the app runs requests: `withUser(sql, id, fn)` (db/client.ts), i.e. `app.current_user_id` set and
 * `SET LOCAL ROLE app_user` inside one transaction.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { type Tx, withUser } from "@/db/client.ts";

const db = await useAppDatabase("schema_rls");
const sql = db.sql;

/** Every user-owned table, and how to find user `uid`'s rows in it as the owner. */
const OWNED: Record<string, string> = {
  users: "id = $1",
  resumes: "user_id = $1",
  job_preferences: "user_id = $1",
  applications: "user_id = $1",
  sequence_templates: "user_id = $1",
  outreach: "application_id in (select id from applications where user_id = $1)",
  outreach_events:
    "outreach_id in (select o.id from outreach o join applications a on a.id = o.application_id " +
    "where a.user_id = $1)",
};

interface Fixture {
  id: number;
  ids: Record<string, number[]>;
}

const [company] = await sql`insert into companies (name) values ('RLS Inc') returning id`;
const [contact] = await sql`
  insert into contacts (company_id, full_name, email, source)
  values (${company.id}, 'Cleo', 'cleo@rls.test', 'test') returning id`;
await sql`
  insert into mailboxes (domain, email, smtp_host, smtp_username, smtp_password_encrypted)
  values ('rls.test', 'out@rls.test', 'smtp.rls.test', 'out', 'secret-ciphertext')`;

async function createUser(name: string): Promise<Fixture> {
  const [user] = await sql`
    insert into users (email, hashed_password) values (${
    name + "@rls.test"
  }, 'hash-of-' || ${name}) returning id`;
  const uid = user.id;
  await sql`insert into resumes (user_id, raw_text) values (${uid}, ${name + "'s resume"})`;
  await sql`insert into job_preferences (user_id) values (${uid})`;
  const apps = [];
  for (const n of [1, 2]) {
    const [job] = await sql`
      insert into jobs (source, title, company_id) values ('test', ${`${name} job ${n}`}, ${company.id}) returning id`;
    const [app] = await sql`
      insert into applications (user_id, job_id, match_score) values (${uid}, ${job.id}, ${
      40 + n * 25
    }) returning id`;
    apps.push(app.id);
  }
  await sql`insert into sequence_templates (user_id, name) values (${uid}, ${name + "'s template"})`;
  for (const app of apps) {
    const [o] = await sql`
      insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox)
      values (${app}, ${contact.id}, 1, 'hello', 'body', 'out@rls.test') returning id`;
    await sql`
      insert into outreach_events (outreach_id, event, mailbox_email, contact_id, provider_event_id)
      values (${o.id}, 'delivered', 'out@rls.test', ${contact.id}, ${`${name}-${o.id}`})`;
  }
  const ids: Record<string, number[]> = {};
  for (const [table, where] of Object.entries(OWNED)) {
    const rows = await sql.unsafe(`select id from ${table} where ${where} order by id`, [uid]);
    ids[table] = rows.map((row) => Number(row.id));
    assert.ok(ids[table].length > 0, `fixture: ${name} has rows in ${table}`);
  }
  return { id: uid, ids };
}

const ann = await createUser("ann");
const bob = await createUser("bob");
await sql`refresh materialized view match_scores`;

/** Runs `fn` as app_user for `uid`, returning the error it raised (the transaction is rolled back). */
async function failureAs(uid: number, fn: (tx: Tx) => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await withUser(db.sql, uid, fn);
  } catch (error) {
    return error as Error & { code?: string };
  }
  assert.fail("expected the statement to be refused");
}

/** Runs `fn` as app_user without any user id set (SET LOCAL ROLE only). */
function asAnonymousAppUser<T>(fn: (tx: Tx) => Promise<T>, setting?: string): Promise<T> {
  return sql.begin(async (tx) => {
    if (setting !== undefined) await tx`select set_config('app.current_user_id', ${setting}, true)`;
    await tx`set local role app_user`;
    return await fn(tx);
  }) as Promise<T>;
}

Deno.test("RLS - user B sees only their own rows in every user-owned table, none of A's", async () => {
  for (const [table, own] of Object.entries(bob.ids)) {
    const visible = await withUser(
      db.sql,
      bob.id,
      (tx) => tx.unsafe(`select id from ${table} order by id`),
    );
    const ids = visible.map((row) => Number(row.id));
    const annsIds = ann.ids[table];
    assert.deepEqual(ids.filter((id) => annsIds.includes(id)), [], `${table}: Bob sees Ann's rows`);
    if (table === "sequence_templates") {
      // Own templates plus the two platform templates of 0002.
      const [{ platform }] =
        await sql`select count(*)::int as platform from sequence_templates where is_platform`;
      assert.equal(platform, 2);
      assert.equal(ids.length, own.length + platform, table);
    } else {
      assert.deepEqual(ids, own, table);
    }
    // Naming A's rows explicitly finds nothing either.
    const direct = await withUser(
      db.sql,
      bob.id,
      (tx) => tx.unsafe(`select count(*)::int as n from ${table} where id = any($1::bigint[])`, [annsIds]),
    );
    assert.equal(direct[0].n, 0, `${table}: Bob reads Ann's rows by id`);
  }
  // Ann, symmetrically, sees her own outreach (the EXISTS policy through applications).
  const annsOutreach = await withUser(db.sql, ann.id, (tx) => tx`select id from outreach order by id`);
  assert.deepEqual(annsOutreach.map((row) => row.id), ann.ids.outreach);
});

Deno.test("RLS - user B cannot update or delete A's rows", async () => {
  const updates: Record<string, string> = {
    users: "full_name = 'owned'",
    resumes: "raw_text = 'owned'",
    job_preferences: "remote_ok = false",
    applications: "notes = 'owned'",
    sequence_templates: "name = 'owned'",
    outreach: "subject = 'owned'",
  };
  for (const [table, assignment] of Object.entries(updates)) {
    const ids = ann.ids[table];
    const updated = await withUser(
      db.sql,
      bob.id,
      (tx) => tx.unsafe(`update ${table} set ${assignment} where id = any($1::int[])`, [ids]),
    );
    assert.equal(updated.count, 0, `${table}: Bob updated Ann's rows`);
    const deleted = await withUser(
      db.sql,
      bob.id,
      (tx) => tx.unsafe(`delete from ${table} where id = any($1::int[])`, [ids]),
    );
    assert.equal(deleted.count, 0, `${table}: Bob deleted Ann's rows`);
    const [{ n }] = await sql.unsafe(`select count(*)::int as n from ${table} where id = any($1::int[])`, [
      ids,
    ]);
    assert.equal(n, ids.length, `${table}: Ann's rows are all still there`);
  }
  const [annRow] = await sql`select full_name from users where id = ${ann.id}`;
  assert.equal(annRow.full_name, null);

  // outreach_events is read-only for app_user: not even an own row can be changed.
  for (const statement of ["update outreach_events set event = 'opened'", "delete from outreach_events"]) {
    const error = await failureAs(bob.id, (tx) => tx.unsafe(statement));
    assert.equal(error.code, "42501", `${statement}: ${error.message}`); // insufficient_privilege
  }
});

Deno.test("RLS - user B cannot insert rows for A, nor move own rows over to A", async () => {
  const [job] = await sql`insert into jobs (source, title, company_id) values ('t', 'free job', ${company.id})
                          returning id`;
  const inserts: [string, string, unknown[]][] = [
    ["resumes", "insert into resumes (user_id) values ($1)", [ann.id]],
    ["job_preferences", "insert into job_preferences (user_id) values ($1)", [ann.id]],
    ["applications", "insert into applications (user_id, job_id) values ($1, $2)", [ann.id, job.id]],
    ["sequence_templates", "insert into sequence_templates (user_id, name) values ($1, 'x')", [ann.id]],
    [
      "outreach",
      `insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox)
       values ($1, $2, 9, 's', 'b', 'out@rls.test')`,
      [ann.ids.applications[0], contact.id],
    ],
  ];
  for (const [table, statement, params] of inserts) {
    const error = await failureAs(bob.id, (tx) => tx.unsafe(statement, params as never[]));
    assert.equal(error.code, "42501", `${table}: ${error.message}`);
    assert.match(error.message, /row-level security/, table);
  }
  // users and outreach_events have no INSERT grant at all (signup and webhooks run as the owner).
  for (
    const statement of [
      "insert into users (email) values ('mallory@rls.test')",
      "insert into outreach_events (event) values ('opened')",
    ]
  ) {
    const error = await failureAs(bob.id, (tx) => tx.unsafe(statement));
    assert.equal(error.code, "42501", error.message);
    assert.match(error.message, /permission denied/);
  }
  // Moving an own row to Ann is refused by the policy's check on the new row.
  for (const [table, column] of [["resumes", "user_id"], ["applications", "user_id"]]) {
    const error = await failureAs(
      bob.id,
      (tx) => tx.unsafe(`update ${table} set ${column} = $1 where ${column} = $2`, [ann.id, bob.id]),
    );
    assert.equal(error.code, "42501", `${table}: ${error.message}`);
  }
  const moved = await failureAs(
    bob.id,
    (tx) =>
      tx`update outreach set application_id = ${ann.ids.applications[0]} where id = ${bob.ids.outreach[0]}`,
  );
  assert.equal(moved.code, "42501", moved.message);
  // Nothing of Bob's ended up under Ann.
  const [{ n }] = await sql`select count(*)::int as n from resumes where user_id = ${ann.id}`;
  assert.equal(n, 1);
  // Bob can still write his own rows (the refusals above are not a blanket refusal).
  const own = await withUser(
    db.sql,
    bob.id,
    (tx) => tx`update resumes set raw_text = 'new' where user_id = ${bob.id}`,
  );
  assert.equal(own.count, 1);
});

Deno.test("RLS - platform templates are visible to every user and writable by none", async () => {
  const platform = await sql`select id, name from sequence_templates where is_platform order by id`;
  assert.deepEqual(platform.map((row) => row.name), ["Job Seeker Default", "Recruiter Cold Intro"]);
  const ids = platform.map((row) => row.id);
  for (const user of [ann, bob]) {
    const seen = await withUser(
      db.sql,
      user.id,
      (tx) => tx`select id from sequence_templates where is_platform order by id`,
    );
    assert.deepEqual(seen.map((row) => row.id), ids);
    const updated = await withUser(
      db.sql,
      user.id,
      (tx) => tx`update sequence_templates set name = 'mine' where id = any(${ids})`,
    );
    assert.equal(updated.count, 0);
    const deleted = await withUser(
      db.sql,
      user.id,
      (tx) => tx`delete from sequence_templates where id = any(${ids})`,
    );
    assert.equal(deleted.count, 0);
  }
  // A user cannot create a platform template, with or without a user id, nor promote their own.
  for (
    const statement of [
      "insert into sequence_templates (user_id, name, is_platform) values (null, 'fake platform', true)",
      `insert into sequence_templates (user_id, name, is_platform) values (${bob.id}, 'fake platform', true)`,
      `update sequence_templates set is_platform = true where user_id = ${bob.id}`,
      `update sequence_templates set user_id = null where user_id = ${bob.id}`,
    ]
  ) {
    const error = await failureAs(bob.id, (tx) => tx.unsafe(statement));
    assert.equal(error.code, "42501", `${statement}: ${error.message}`);
  }
  const after = await sql`select id, name from sequence_templates where is_platform order by id`;
  assert.deepEqual(after.map((row) => row.name), ["Job Seeker Default", "Recruiter Cold Intro"]);
});

Deno.test("RLS - app_user with no user id set sees no user-owned rows", async () => {
  for (const setting of [undefined, ""]) {
    for (const table of Object.keys(OWNED)) {
      const where = table === "sequence_templates" ? " where not coalesce(is_platform, false)" : "";
      const [{ n }] = await asAnonymousAppUser(
        (tx) => tx.unsafe(`select count(*)::int as n from ${table}${where}`),
        setting,
      );
      assert.equal(n, 0, `${table} with app.current_user_id ${JSON.stringify(setting)}`);
    }
    // Writes find nothing either.
    const updated = await asAnonymousAppUser((tx) => tx`update applications set notes = 'x'`, setting);
    assert.equal(updated.count, 0);
    // The platform templates stay readable (the signup page lists them).
    const [{ platform }] = await asAnonymousAppUser(
      (tx) => tx`select count(*)::int as platform from sequence_templates`,
      setting,
    );
    assert.equal(platform, 2);
    // my_match_scores is empty without a user, too.
    const [{ scores }] = await asAnonymousAppUser((tx) =>
      tx`select count(*)::int as scores from my_match_scores`
    );
    assert.equal(scores, 0);
  }
  // The owner (not app_user) sees everything: the policies are ENABLEd, not FORCEd.
  const [{ n }] = await sql`select count(*)::int as n from applications`;
  assert.equal(n, 4);
});

Deno.test("app_user - cannot run DDL: CREATE, DROP, ALTER, TRUNCATE", async () => {
  const statements = [
    "create table evil (id int)",
    "create view evil as select 1",
    "create function evil() returns int language sql as 'select 1'",
    "drop table applications",
    "drop table users cascade",
    "drop materialized view match_scores",
    "alter table applications add column evil int",
    "alter table users disable row level security",
    "alter table applications drop constraint applications_status_check",
    "drop policy application_isolation on applications",
    "truncate applications",
    "create index evil on applications (notes)",
  ];
  for (const statement of statements) {
    const error = await failureAs(bob.id, (tx) => tx.unsafe(statement));
    assert.equal(error.code, "42501", `${statement}: ${error.message}`);
  }
  const [{ tables }] = await sql`select count(*)::int as tables from pg_class where relname = 'evil'`;
  assert.equal(tables, 0);
  const [{ rls }] = await sql`select relrowsecurity as rls from pg_class where oid = 'users'::regclass`;
  assert.equal(rls, true);
});

Deno.test("app_user - cannot read users.hashed_password, mailboxes.smtp_password_encrypted or match_scores", async () => {
  for (
    const statement of [
      "select hashed_password from users", // even of the own row
      "select * from users",
      "select smtp_password_encrypted from mailboxes",
      "select * from mailboxes",
      "select * from match_scores",
      "update contacts set opted_out = true",
      // Own row, but not a profile column: password, plan, credits, verification and email are owner-only.
      "update users set hashed_password = 'x'",
      "update users set subscription_tier = 'enterprise'",
      "update users set credits_remaining = 1000000",
      "update users set email_verified = true",
      "update users set email = 'new@rls.test'",
      "update users set full_name = hashed_password",
    ]
  ) {
    const error = await failureAs(bob.id, (tx) => tx.unsafe(statement));
    assert.equal(error.code, "42501", `${statement}: ${error.message}`);
  }
  // The other columns are readable when named, and Bob's own match scores come through my_match_scores.
  const [me] = await withUser(db.sql, bob.id, (tx) => tx`select id, email, mode from users`);
  assert.equal(me.email, "bob@rls.test");
  const profile = await withUser(
    db.sql,
    bob.id,
    (tx) =>
      tx`update users set full_name = 'Bob', timezone = 'Europe/Paris' where id = ${bob.id} returning full_name`,
  );
  assert.deepEqual(profile.map((row) => row.full_name), ["Bob"]);
  const [stored] = await sql`select hashed_password, subscription_tier from users where id = ${bob.id}`;
  assert.deepEqual({ ...stored }, { hashed_password: "hash-of-bob", subscription_tier: "free" });
  const [mailbox] = await withUser(db.sql, bob.id, (tx) => tx`select email, health_score from mailboxes`);
  assert.equal(mailbox.email, "out@rls.test");
  const scores = await withUser(
    db.sql,
    bob.id,
    (tx) => tx`select user_id, score, category from my_match_scores order by score`,
  );
  assert.deepEqual(scores.map((row) => [row.user_id, row.score, row.category]), [
    [bob.id, 65, "fair"],
    [bob.id, 90, "excellent"],
  ]);
  await db.drop();
});
