/**
 * The migration runner (db/migrate.ts) against real PostgreSQL: empty databases made on the test server
 * (`TEST_DATABASE_URL`), and migrated clones from `createTestDatabase()`.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { migrate, type Migration, readMigrations } from "./migrate.ts";
import { createTestDatabase } from "@/tests/helpers/db.ts";

const ROOT = new URL("../", import.meta.url);
/** db/migrate.ts's advisory lock key (MIGRATION_LOCK); the concurrency test checks the processes wait on it. */
const MIGRATION_LOCK = 72_410_001;

function serverUrl(): string {
  const url = Deno.env.get("TEST_DATABASE_URL");
  if (!url) throw new Error("run the tests with `deno task test` (it sets TEST_DATABASE_URL)");
  return url;
}

/** A new, truly empty database on the test server (not a clone of the migrated template). */
async function createEmptyDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${label}_${crypto.randomUUID().slice(0, 8)}`;
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template template0`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = postgres(serverUrl(), { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

function pool(url: string) {
  return postgres(url, { max: 2, onnotice: () => {} });
}

async function recorded(sql: postgres.Sql): Promise<{ version: number; name: string; checksum: string }[]> {
  const rows = await sql<{ version: number; name: string; checksum: string }[]>`
    select version, name, checksum from schema_migrations order by version`;
  return rows.map(({ version, name, checksum }) => ({ version, name, checksum }));
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function migration(version: number, name: string, text: string): Promise<Migration> {
  return { version, name: `${version}_${name}.sql`, sql: text, checksum: await sha256(text) };
}

/** Advisory locks held in this database (pg_locks is cluster-wide). */
async function advisoryLocks(sql: postgres.Sql): Promise<number> {
  const [row] = await sql`
    select count(*)::int as n from pg_locks
    where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`;
  return row.n;
}

async function tableExists(sql: postgres.Sql, name: string): Promise<boolean> {
  const [row] = await sql`select to_regclass(${name}) is not null as found`;
  return row.found;
}

Deno.test("migrate - an empty database gets every migration once; a second run applies nothing", async () => {
  const files = await readMigrations();
  assert.ok(files.length >= 2, "0001 and 0002 at least");
  assert.deepEqual(files.slice(0, 2).map((m) => m.name), ["0001_seed_schema.sql", "0002_seed_data.sql"]);
  const db = await createEmptyDatabase("migrate_twice");
  const sql = pool(db.url);
  try {
    assert.equal(await tableExists(sql, "users"), false);
    const first = await migrate(sql);
    assert.deepEqual(first.applied, files.map((m) => m.name));
    assert.equal(first.total, files.length);
    assert.deepEqual(
      await recorded(sql),
      files.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum })),
    );
    const [{ templates }] =
      await sql`select count(*)::int as templates from sequence_templates where is_platform`;
    assert.equal(templates, 2);

    const second = await migrate(sql);
    assert.deepEqual(second.applied, []);
    assert.equal(second.total, files.length);
    const [{ again }] = await sql`select count(*)::int as again from sequence_templates where is_platform`;
    assert.equal(again, 2, "0002 is not run twice");
    // The lock is released after each run.
    assert.equal(await advisoryLocks(sql), 0, "the lock is released after each run");
  } finally {
    await sql.end();
    await db.drop();
  }
});

Deno.test("migrate - two `deno task migrate` processes started together apply each migration exactly once", async () => {
  const files = await readMigrations();
  const db = await createEmptyDatabase("migrate_race");
  const sql = pool(db.url);
  // Hold the runner's lock so that both processes are provably waiting at the same time, then let them race.
  const gate = await sql.reserve();
  try {
    await gate`select pg_advisory_lock(${MIGRATION_LOCK})`;
    const run = () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/migrate.ts"],
        cwd: ROOT,
        env: { DATABASE_URL: db.url, ROLEFERRY_ENV: "test" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    const children = [run(), run()];
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [{ waiting }] = await sql`
          select count(*)::int as waiting from pg_locks
          where locktype = 'advisory' and not granted and classid = 0 and objid = ${MIGRATION_LOCK}
            and database = (select oid from pg_database where datname = current_database())`;
        if (waiting === 2) break;
        assert.ok(
          Date.now() < deadline,
          `both processes should be waiting on the migration lock (${waiting})`,
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await gate`select pg_advisory_unlock(${MIGRATION_LOCK})`;
      gate.release();
    }
    const outputs = await Promise.all(children.map((child) => child.output()));
    const decoder = new TextDecoder();
    const stdout = outputs.map((o) => decoder.decode(o.stdout));
    for (const [i, o] of outputs.entries()) {
      assert.equal(o.code, 0, `process ${i}: ${stdout[i]}\n${decoder.decode(o.stderr)}`);
    }
    const appliedLine = `applied ${files.length} migration(s): ${files.map((m) => m.name).join(", ")}`;
    const winners = stdout.filter((out) => out.includes(appliedLine));
    const waiters = stdout.filter((out) => out.includes("nothing to apply"));
    assert.equal(winners.length, 1, stdout.join("\n---\n"));
    assert.equal(waiters.length, 1, stdout.join("\n---\n"));
    for (const out of stdout) {
      assert.match(out, new RegExp(`^${files.length} migration\\(s\\) in the database$`, "m"));
    }

    const rows = await recorded(sql);
    assert.deepEqual(rows.map((r) => r.version), files.map((m) => m.version));
    const [{ templates }] =
      await sql`select count(*)::int as templates from sequence_templates where is_platform`;
    assert.equal(templates, 2);
  } finally {
    await sql.end();
    await db.drop();
  }
});

Deno.test("migrate - a migration edited after it was applied is refused, and nothing after it runs", async () => {
  const db = await createTestDatabase("migrate_edited");
  const sql = pool(db.url);
  const dir = await Deno.makeTempDir({ prefix: "roleferry-migrations-" });
  try {
    const before = await recorded(sql);
    // The repository's files, with 0002 edited (one more statement) and a new migration after it.
    for (const m of await readMigrations()) {
      const text = m.name === "0002_seed_data.sql" ? m.sql + "\nselect 1;\n" : m.sql;
      await Deno.writeTextFile(`${dir}/${m.name}`, text);
    }
    await Deno.writeTextFile(`${dir}/9990_after_the_edit.sql`, "create table after_the_edit (id int);\n");
    const edited = await readMigrations(new URL(`file://${dir}/`));
    const original = before.find((r) => r.version === 2)!;
    assert.notEqual(edited.find((m) => m.version === 2)!.checksum, original.checksum);

    await assert.rejects(migrate(sql, { migrations: edited }), (error: Error) => {
      assert.match(error.message, /^migration 0002_seed_data\.sql was edited after it was applied/);
      assert.match(error.message, new RegExp(`recorded checksum ${original.checksum.slice(0, 12)}`));
      assert.match(error.message, /add a new migration instead/);
      return true;
    });
    assert.deepEqual(await recorded(sql), before, "schema_migrations unchanged");
    assert.equal(await tableExists(sql, "after_the_edit"), false);

    // The unedited files are accepted again and apply nothing.
    assert.deepEqual((await migrate(sql, { migrations: await readMigrations() })).applied, []);
    assert.equal(await advisoryLocks(sql), 0, "the lock is released after a refusal");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await sql.end();
    await db.drop();
  }
});

Deno.test("migrate - with everything applied, one query answers: no lock is waited for", async () => {
  const db = await createTestDatabase("migrate_fast");
  const sql = pool(db.url);
  const gate = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    // Another process holds the migration lock (it is migrating, or stuck): a start with nothing pending
    // must not wait for it.
    await gate`select pg_advisory_lock(${MIGRATION_LOCK})`;
    const result = await Promise.race([
      migrate(sql),
      new Promise<"waited">((resolve) => setTimeout(() => resolve("waited"), 3_000)),
    ]);
    assert.notEqual(result, "waited");
    assert.deepEqual((result as { applied: string[] }).applied, []);
  } finally {
    await gate`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    await gate.end();
    await sql.end();
    await db.drop();
  }
});

Deno.test("migrate - a failing migration rolls back entirely and is not recorded; later ones do not run", async () => {
  const db = await createTestDatabase("migrate_failing");
  const sql = pool(db.url);
  try {
    const files = await readMigrations();
    const before = await recorded(sql);
    const failing = await migration(
      9001,
      "fails_halfway",
      `create table probe_9001 (id int primary key);
       insert into probe_9001 values (1);
       alter table users add column probe_9001 int;
       update sequence_templates set description = 'changed by 9001' where is_platform;
       create index idx_probe_9001 on applications (notes);
       select 1 / 0;
       create table never_reached_9001 (id int);`,
    );
    const next = await migration(9002, "after_failure", "create table probe_9002 (id int);");

    await assert.rejects(migrate(sql, { migrations: [...files, failing, next] }), (error: Error) => {
      assert.equal(error.message, "migration 9001_fails_halfway.sql failed: division by zero");
      assert.equal((error.cause as { code?: string }).code, "22012");
      return true;
    });
    for (const table of ["probe_9001", "never_reached_9001", "probe_9002", "idx_probe_9001"]) {
      assert.equal(await tableExists(sql, table), false, table);
    }
    const [{ column }] = await sql`
      select count(*)::int as column from information_schema.columns
      where table_name = 'users' and column_name = 'probe_9001'`;
    assert.equal(column, 0);
    const [{ changed }] = await sql`
      select count(*)::int as changed from sequence_templates where description = 'changed by 9001'`;
    assert.equal(changed, 0);
    assert.deepEqual(await recorded(sql), before);
    assert.equal(await advisoryLocks(sql), 0, "the lock is released after a failure");

    // Fixed, it applies on the next run, on the same pool (no connection left in an aborted transaction).
    const fixed = await migration(9001, "fails_halfway", "create table probe_9001 (id int primary key);");
    const result = await migrate(sql, { migrations: [...files, fixed, next] });
    assert.deepEqual(result.applied, ["9001_fails_halfway.sql", "9002_after_failure.sql"]);
    assert.equal(await tableExists(sql, "probe_9001"), true);
  } finally {
    await sql.end();
    await db.drop();
  }
});

Deno.test("migrate - on an empty database a failure keeps the migrations before it", async () => {
  const db = await createEmptyDatabase("migrate_partial");
  const sql = pool(db.url);
  try {
    const [first, second] = await readMigrations();
    const broken = await migration(3, "broken", "create table t3 (id int); select no_such_function();");
    await assert.rejects(
      migrate(sql, { migrations: [first, second, broken] }),
      /migration 3_broken\.sql failed: function no_such_function\(\) does not exist/,
    );
    assert.deepEqual((await recorded(sql)).map((r) => r.name), [first.name, second.name]);
    assert.equal(await tableExists(sql, "users"), true);
    assert.equal(await tableExists(sql, "t3"), false);
    // `target` stops before later versions.
    const targeted = await migrate(sql, { migrations: [first, second, broken], target: 2 });
    assert.deepEqual(targeted, { applied: [], total: 2 });
  } finally {
    await sql.end();
    await db.drop();
  }
});
