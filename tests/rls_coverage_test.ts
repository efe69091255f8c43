/**
 * Multi-tenant isolation (data-architecture.md 8.2, acceptance criterion "Row-level
 * security enabled"): every table that holds a user's data, found from the catalog
 * rather than from a list, either has RLS enabled with a policy that applies to
 * app_user, or gives app_user no access at all (owner-only tables such as sessions).
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";

const db = await useAppDatabase("rls_coverage");
const sql = db.sql;

/** Tables with a user_id (or an application/outreach reference), plus everything that references them. */
async function userDataTables(): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    with recursive tables as (
      select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    ),
    owned(oid) as (
      select 'users'::regclass::oid
      union
      select distinct a.attrelid from pg_attribute a join tables t on t.oid = a.attrelid
      where a.attname in ('user_id', 'application_id', 'outreach_id') and not a.attisdropped
      union
      select con.conrelid from pg_constraint con join owned o on con.confrelid = o.oid
      where con.contype = 'f'
        -- jobs: the shared catalogue. Its only user reference, owner_user_id (a recruiter's private client
        -- role, migration 0066), is filtered in the queries, since a policy would take the search's indexes
        -- away; tests/recruiter_test.ts checks that nobody else sees such a job.
        and con.conrelid <> 'jobs'::regclass
    )
    select distinct oid::regclass::text as name from owned order by 1`;
  return rows.map((r) => r.name);
}

Deno.test("RLS coverage - every table holding a user's data is isolated from app_user", async () => {
  const tables = await userDataTables();
  for (
    const expected of [
      "users",
      "resumes",
      "job_preferences",
      "applications",
      "sequence_templates",
      "outreach",
    ]
  ) {
    assert.ok(tables.includes(expected), `${expected} found by the catalog walk`);
  }
  const report: string[] = [];
  for (const table of tables) {
    const [info] = await sql`
      select c.relrowsecurity as rls,
             -- column grants count too (users is readable by app_user column by column)
             has_any_column_privilege('app_user', c.oid, 'SELECT, INSERT, UPDATE')
               or has_table_privilege('app_user', c.oid, 'DELETE, TRUNCATE') as app_access,
             (select count(*)::int from pg_policy p
              where p.polrelid = c.oid
                and (p.polroles = '{0}' or 'app_user'::regrole::oid = any (p.polroles))) as app_policies
      from pg_class c where c.oid = ${table}::regclass`;
    if (!info.app_access) {
      report.push(`${table}: no app_user access`);
      continue;
    }
    assert.equal(info.rls, true, `${table} is readable by app_user but has no row-level security`);
    assert.ok(info.app_policies > 0, `${table} has RLS but no policy for app_user`);
    report.push(`${table}: RLS, ${info.app_policies} policies`);
  }
  console.log(report.join("\n"));
});

Deno.test("RLS coverage - partitions and the match_scores cache give app_user nothing directly", async () => {
  const partitions = await sql`
    select c.relname::text as name, has_any_column_privilege('app_user', c.oid, 'SELECT, INSERT, UPDATE') as app_select
    from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'outreach'::regclass`;
  assert.ok(partitions.length >= 5);
  for (const p of partitions) assert.equal(p.app_select, false, p.name);
  const [{ cache }] =
    await sql`select has_any_column_privilege('app_user', 'match_scores', 'SELECT') as cache`;
  assert.equal(cache, false);
});

Deno.test("RLS coverage - as app_user, user A sees only A's rows; with no user set, none", async () => {
  const [a] = await sql`insert into users (email) values ('rls-a@test.io') returning id`;
  const [b] = await sql`insert into users (email) values ('rls-b@test.io') returning id`;
  const [company] = await sql`insert into companies (name, domain) values ('R', 'r.test') returning id`;
  const [job] =
    await sql`insert into jobs (source, title, company_id) values ('t', 'T', ${company.id}) returning id`;
  const [contact] = await sql`
    insert into contacts (company_id, full_name, email, source) values (${company.id}, 'C', 'c@r.test', 't')
    returning id`;
  for (const user of [a, b]) {
    await sql`insert into resumes (user_id) values (${user.id})`;
    await sql`insert into job_preferences (user_id) values (${user.id})`;
    await sql`insert into sequence_templates (user_id, name) values (${user.id}, 'mine')`;
    const [app] =
      await sql`insert into applications (user_id, job_id) values (${user.id}, ${job.id}) returning id`;
    const [o] = await sql`
      insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox)
      values (${app.id}, ${contact.id}, 1, 's', 'b', 'm@r.test') returning id`;
    await sql`insert into outreach_events (outreach_id, event) values (${o.id}, 'opened')`;
  }
  const tables = ["users", "resumes", "job_preferences", "applications", "outreach", "outreach_events"];
  for (const table of tables) {
    const seen = await sql.begin(async (tx) => {
      await tx`select set_config('app.current_user_id', ${
        String(a.id)
      }, true), set_config('role', 'app_user', true)`;
      return await tx.unsafe(`select count(*)::int as n from ${table}`);
    });
    assert.equal(seen[0].n, 1, `${table}: user A sees exactly one row`);
    const none = await sql.begin(async (tx) => {
      await tx`select set_config('role', 'app_user', true)`;
      return await tx.unsafe(`select count(*)::int as n from ${table}`);
    });
    assert.equal(none[0].n, 0, `${table}: no user set, no rows`);
  }
  const templates = await sql.begin(async (tx) => {
    await tx`select set_config('app.current_user_id', ${
      String(a.id)
    }, true), set_config('role', 'app_user', true)`;
    return await tx`select user_id, is_platform from sequence_templates`;
  });
  assert.ok(templates.every((t) => t.user_id === a.id || (t.user_id === null && t.is_platform)));
});

Deno.test("RLS coverage - teardown", async () => {
  await db.drop();
});
