/**
 * "The schema yields every schema fact of the seed": the seed's own DDL (db/testdata/seed_ddl.sql, copied from
 * data-architecture.md with only the edits needed to run) is loaded into an empty database, and its catalog is
 * compared with our migrated database: tables, columns (type, default, nullability, order), CHECK/FK/UNIQUE/
 * PRIMARY KEY constraints (name and definition), indexes (name and definition), triggers, functions, the
 * match_scores materialized view and its indexes.
 *
 * Two comparisons:
 * - against the seed migrations only (0001 + 0002, `target: 2`): both ways. Every difference must be one that
 *   db/README.md documents (the ALLOWED_* lists below, each pointing at its README row);
 * - against all migrations: the seed's facts must all still hold (later migrations may add, not change),
 *   except the partitioning of outreach by 0030 (README "Partitioning (migration 0030)").
 *
 * The same runs on Debian's PostgreSQL 15 when it is installed (the embedded server is PostgreSQL 18).
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { migrate, readMigrations } from "@/db/migrate.ts";
import { createTestDatabase } from "@/tests/helpers/db.ts";

const SEED_DDL = new URL("../db/testdata/seed_ddl.sql", import.meta.url);
const PG15 = "/usr/lib/postgresql/15/bin";

// ---------------------------------------------------------------------------------------------------------
// What db/README.md allows to differ from the seed (0001 + 0002 only)
// ---------------------------------------------------------------------------------------------------------

/** Relations 0001 adds. */
const ALLOWED_EXTRA_RELATIONS = new Set([
  "outreach_events", // README "What 0001 creates": a new table outreach_events (one row per provider event)
  "my_match_scores", // README defects table, row "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES … TO app_user"
  "schema_migrations", // the migration runner's own table (db/migrate.ts)
]);
/** Indexes 0001/0002 add on seed tables (those of the extra relations are allowed with them). */
const ALLOWED_EXTRA_INDEXES = new Set([
  "idx_application_job", // README row "fk_application_job … ON DELETE RESTRICT"
  "idx_sequence_platform_name", // README row "Section 5: plain INSERT"
]);
/** Extensions 0001 adds. */
const ALLOWED_EXTRA_EXTENSIONS = new Set([
  "pg_stat_statements", // README row "Section 9.1 queries pg_stat_statements"
]);
/** Functions whose body (and security) 0001 changes. */
const ALLOWED_CHANGED_FUNCTIONS = new Set([
  "update_application_last_action", // README row "update_application_last_action: OLD.status != NEW.status"
  // and row "Trigger functions under RLS" (SECURITY DEFINER, SET search_path)
  "stop_sequence_on_reply", // README rows "stop_sequence_on_reply: …" (three) and "Trigger functions under RLS"
  "reset_mailbox_daily_counters", // README rows "reset_mailbox_daily_counters: …" (two)
  "calculate_mailbox_health", // README rows "calculate_mailbox_health: …" (two)
]);
/**
 * Index definitions that differ from the seed *as written*: db/testdata/seed_ddl.sql carries the same edit
 * (marked "-- edited:"), so the loaded seed and ours agree; checked separately below.
 * README row "CREATE INDEX idx_jobs_expires_at … WHERE expires_at > NOW()".
 */
const EDITED_IN_SEED_DDL = new Set(["idx_jobs_expires_at"]);

/**
 * After 0030 (README "Partitioning (migration 0030)"): outreach is a partitioned table (relkind p), its
 * primary key is (id, queued_at), queued_at is NOT NULL, and pg_get_indexdef says "ON ONLY" for its indexes.
 */
const PARTITIONED_OUTREACH = {
  relkind: "p",
  pkey: "PRIMARY KEY (id, queued_at)",
  pkeyIndex: "CREATE UNIQUE INDEX outreach_pkey ON public.outreach USING btree (id, queued_at)",
  notNull: "queued_at",
};

// ---------------------------------------------------------------------------------------------------------
// Reading a catalog
// ---------------------------------------------------------------------------------------------------------

interface Column {
  name: string;
  type: string;
  default: string | null;
  notnull: boolean;
}
interface Catalog {
  version: number;
  extensions: Set<string>;
  relations: Map<string, string>; // name -> relkind
  columns: Map<string, Column[]>; // table -> columns in order
  constraints: Map<string, { table: string; type: string; def: string }>; // "table.name" ->
  indexes: Map<string, { table: string; def: string }>;
  triggers: Map<string, string>; // "table.name" -> definition
  functions: Map<string, { args: string; result: string; language: string; body: string; secdef: boolean }>;
  views: Map<string, string>; // name -> definition
}

/** Objects of the public schema, without extension members and without partitions (their parent counts). */
async function readCatalog(sql: postgres.Sql): Promise<Catalog> {
  const notExtension = (oid: string) =>
    `not exists (select 1 from pg_depend e where e.objid = ${oid} and e.deptype = 'e')`;
  const [{ version }] = await sql`select current_setting('server_version_num')::int as version`;
  const extensions = await sql`select extname from pg_extension where extname <> 'plpgsql'`;
  const relations = await sql.unsafe(`
    select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition
      and ${notExtension("c.oid")}`);
  const columns = await sql.unsafe(`
    select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
           pg_get_expr(d.adbin, d.adrelid) as default, a.attnotnull as notnull
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition
      and a.attnum > 0 and not a.attisdropped and ${notExtension("c.oid")}
    order by c.relname, a.attnum`);
  const constraints = await sql.unsafe(`
    select c.relname as table, con.conname as name, con.contype as type, pg_get_constraintdef(con.oid) as def
    from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and not c.relispartition`);
  const indexes = await sql.unsafe(`
    select i.relname as name, t.relname as table, pg_get_indexdef(i.oid) as def
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'public' and not t.relispartition and ${notExtension("t.oid")}`);
  const triggers = await sql.unsafe(`
    select c.relname as table, t.tgname as name, pg_get_triggerdef(t.oid) as def
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and not t.tgisinternal and not c.relispartition`);
  const functions = await sql.unsafe(`
    select p.proname as name, pg_get_function_identity_arguments(p.oid) as args,
           pg_get_function_result(p.oid) as result, l.lanname as language, p.prosrc as body,
           p.prosecdef as secdef
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
    where n.nspname = 'public' and ${notExtension("p.oid")}`);
  const views = await sql.unsafe(`
    select c.relname as name, pg_get_viewdef(c.oid) as def
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('v', 'm') and ${notExtension("c.oid")}`);

  const byTable = new Map<string, Column[]>();
  for (const row of columns) {
    const list = byTable.get(row.table) ?? [];
    list.push({ name: row.name, type: row.type, default: row.default, notnull: row.notnull });
    byTable.set(row.table, list);
  }
  return {
    version,
    extensions: new Set(extensions.map((row) => row.extname)),
    relations: new Map(relations.map((row) => [row.relname, row.relkind])),
    columns: byTable,
    constraints: new Map(
      constraints.map((
        row,
      ) => [`${row.table}.${row.name}`, { table: row.table, type: row.type, def: row.def }]),
    ),
    // A partitioned table's indexes read "ON ONLY public.t"; the definition is otherwise the same.
    indexes: new Map(
      indexes.map((row) => [row.name, { table: row.table, def: row.def.replace(" ON ONLY ", " ON ") }]),
    ),
    triggers: new Map(triggers.map((row) => [`${row.table}.${row.name}`, row.def])),
    functions: new Map(functions.map((row) => [row.name, { ...row } as never])),
    views: new Map(views.map((row) => [row.name, row.def])),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------------------

interface CompareOptions {
  /** Both ways (0001 + 0002 only): every extra object of ours must be a documented addition. */
  exact: boolean;
  /** 0030 has run: outreach is partitioned. */
  partitioned: boolean;
}

/** Every difference between the seed and ours that the README does not allow, as readable lines. */
function compare(seed: Catalog, ours: Catalog, options: CompareOptions): string[] {
  const problems: string[] = [];
  const outreachPartitioned = options.partitioned;

  for (const ext of seed.extensions) if (!ours.extensions.has(ext)) problems.push(`extension ${ext} missing`);

  for (const [name, kind] of seed.relations) {
    const mine = ours.relations.get(name);
    const expected = name === "outreach" && outreachPartitioned ? PARTITIONED_OUTREACH.relkind : kind;
    if (mine !== expected) {
      problems.push(`relation ${name}: relkind ${mine ?? "missing"}, expected ${expected}`);
    }
  }

  for (const [table, seedColumns] of seed.columns) {
    const mine = ours.columns.get(table);
    if (!mine) continue; // reported with the relations
    const seedNames = seedColumns.map((c) => c.name);
    const myOrder = mine.map((c) => c.name).filter((name) => seedNames.includes(name));
    if (myOrder.join(",") !== seedNames.join(",")) {
      problems.push(
        `${table}: seed columns ${seedNames.join(",")}, ours in this order: ${myOrder.join(",")}`,
      );
    }
    if (options.exact && mine.length !== seedColumns.length) {
      problems.push(
        `${table}: extra columns ${mine.filter((c) => !seedNames.includes(c.name)).map((c) => c.name)}`,
      );
    }
    for (const column of seedColumns) {
      const other = mine.find((c) => c.name === column.name);
      if (!other) continue;
      const expected = { ...column };
      if (table === "outreach" && outreachPartitioned && column.name === PARTITIONED_OUTREACH.notNull) {
        expected.notnull = true;
      }
      for (const key of ["type", "default", "notnull"] as const) {
        if (other[key] !== expected[key]) {
          problems.push(`${table}.${column.name} ${key}: ours ${other[key]}, seed ${expected[key]}`);
        }
      }
    }
  }

  for (const [key, con] of seed.constraints) {
    const mine = ours.constraints.get(key);
    let def = con.def;
    if (key === "outreach.outreach_pkey" && outreachPartitioned) def = PARTITIONED_OUTREACH.pkey;
    if (!mine) problems.push(`constraint ${key} (${con.def}) missing`);
    else if (mine.type !== con.type || mine.def !== def) {
      problems.push(`constraint ${key}: ours ${mine.type} ${mine.def}, seed ${con.type} ${def}`);
    }
  }

  for (const [name, index] of seed.indexes) {
    const mine = ours.indexes.get(name);
    let def = index.def;
    if (name === "outreach_pkey" && outreachPartitioned) def = PARTITIONED_OUTREACH.pkeyIndex;
    if (!mine) problems.push(`index ${name} missing`);
    else if (mine.table !== index.table || mine.def !== def) {
      problems.push(`index ${name}: ours ${mine.def}, seed ${def}`);
    }
  }

  for (const [key, def] of seed.triggers) {
    const mine = ours.triggers.get(key);
    if (mine !== def) problems.push(`trigger ${key}: ours ${mine ?? "missing"}, seed ${def}`);
  }

  for (const [name, fn] of seed.functions) {
    const mine = ours.functions.get(name);
    if (!mine) {
      problems.push(`function ${name} missing`);
      continue;
    }
    // Later migrations may replace the maintenance functions (0032 makes them return counts); the seed's
    // signature is checked against 0001 + 0002 only.
    if (!options.exact) continue;
    if (mine.args !== fn.args || mine.result !== fn.result || mine.language !== fn.language) {
      problems.push(
        `function ${name}: ours (${mine.args}) ${mine.result} ${mine.language}, seed (${fn.args}) ${fn.result}`,
      );
    }
    if (!ALLOWED_CHANGED_FUNCTIONS.has(name) && (mine.body !== fn.body || mine.secdef !== fn.secdef)) {
      problems.push(`function ${name}: body or SECURITY DEFINER differs from the seed`);
    }
  }

  for (const [name, def] of seed.views) {
    const mine = ours.views.get(name);
    if (mine !== def) problems.push(`view ${name}: ours ${mine ?? "missing"}\nseed ${def}`);
  }

  if (options.exact) {
    // Nothing of ours beyond the seed but the documented additions.
    const extraTables = new Set<string>();
    for (const name of ours.relations.keys()) {
      if (seed.relations.has(name)) continue;
      if (ALLOWED_EXTRA_RELATIONS.has(name)) extraTables.add(name);
      else problems.push(`relation ${name} is not in the seed nor documented`);
    }
    for (const ext of ours.extensions) {
      if (!seed.extensions.has(ext) && !ALLOWED_EXTRA_EXTENSIONS.has(ext)) {
        problems.push(`extension ${ext} extra`);
      }
    }
    for (const [key, con] of ours.constraints) {
      if (!seed.constraints.has(key) && !extraTables.has(con.table)) problems.push(`constraint ${key} extra`);
    }
    for (const [name, index] of ours.indexes) {
      if (!seed.indexes.has(name) && !extraTables.has(index.table) && !ALLOWED_EXTRA_INDEXES.has(name)) {
        problems.push(`index ${name} extra`);
      }
    }
    for (const key of ours.triggers.keys()) {
      if (!seed.triggers.has(key)) problems.push(`trigger ${key} extra`);
    }
    for (const name of ours.functions.keys()) {
      if (!seed.functions.has(name)) problems.push(`function ${name} extra`);
    }
    for (const name of ALLOWED_CHANGED_FUNCTIONS) {
      // Documented as changed: make sure the list stays honest.
      if (seed.functions.get(name)?.body === ours.functions.get(name)?.body) {
        problems.push(`function ${name} is listed as changed but is identical to the seed`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Running it on a server
// ---------------------------------------------------------------------------------------------------------

function dbUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withDatabase<T>(
  serverUrl: string,
  label: string,
  fn: (sql: postgres.Sql) => Promise<T>,
): Promise<T> {
  const name = `${label}_${crypto.randomUUID().slice(0, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template template0`);
  const sql = postgres(dbUrl(serverUrl, name), { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

/** The seed's catalog: db/testdata/seed_ddl.sql loaded into a new empty database. */
function seedCatalog(serverUrl: string): Promise<Catalog> {
  return withDatabase(serverUrl, "seed_ddl", async (sql) => {
    await sql.begin((tx) => tx.unsafe(Deno.readTextFileSync(SEED_DDL)));
    return await readCatalog(sql);
  });
}

/** Our catalog after migrating a new empty database (to `target` when given); migrates twice. */
function migratedCatalog(serverUrl: string, target?: number): Promise<Catalog> {
  return withDatabase(serverUrl, "migrated", async (sql) => {
    const first = await migrate(sql, { target });
    assert.ok(first.applied.length >= 2, "migrations were applied");
    const second = await migrate(sql, { target });
    assert.deepEqual(second.applied, [], "a second run applies nothing");
    return await readCatalog(sql);
  });
}

async function has0030(): Promise<boolean> {
  return (await readMigrations()).some((m) => m.version === 30);
}

async function checkServer(serverUrl: string) {
  const seed = await seedCatalog(serverUrl);
  // The seed DDL itself loaded as intended: 10 tables, the view, 5 functions, 5 triggers.
  assert.equal([...seed.relations.values()].filter((kind) => kind === "r").length, 10);
  assert.equal(seed.relations.get("match_scores"), "m");
  assert.equal(seed.functions.size, 5);
  assert.equal(seed.triggers.size, 5);
  assert.equal(seed.indexes.get("idx_jobs_expires_at")?.def.includes("WHERE"), false);

  const seedOnly = await migratedCatalog(serverUrl, 2);
  assert.deepEqual(compare(seed, seedOnly, { exact: true, partitioned: false }), []);

  const full = await migratedCatalog(serverUrl);
  const partitioned = await has0030();
  assert.deepEqual(compare(seed, full, { exact: false, partitioned }), []);
  return { seed, seedOnly, full };
}

// ---------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------

Deno.test("schema catalog - our migrations yield every schema fact of the seed (PostgreSQL of the test run)", async () => {
  const serverUrl = Deno.env.get("TEST_DATABASE_URL");
  assert.ok(serverUrl, "run with `deno task test`");
  const { seed, seedOnly } = await checkServer(serverUrl);
  // Spot checks that the comparison really looks at what it claims to.
  assert.deepEqual(seed.constraints.get("jobs.chk_salary_range"), {
    table: "jobs",
    type: "c",
    def: "CHECK (((comp_min IS NULL) OR (comp_max IS NULL) OR (comp_min <= comp_max)))",
  });
  assert.equal(
    seedOnly.constraints.get("resumes.fk_resume_user")?.def,
    "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE",
  );
  assert.deepEqual(seedOnly.columns.get("users")?.map((c) => c.name), [
    "id",
    "email",
    "hashed_password",
    "full_name",
    "mode",
    "subscription_tier",
    "credits_remaining",
    "created_at",
    "last_login",
    "email_verified",
    "stripe_customer_id",
    "avatar_url",
    "timezone",
  ]);
  assert.equal(seedOnly.functions.get("stop_sequence_on_reply")?.secdef, true);
  assert.equal(seed.functions.get("stop_sequence_on_reply")?.secdef, false);
  // The README's fix: idx_jobs_expires_at without the seed's (refused) predicate.
  for (const name of EDITED_IN_SEED_DDL) {
    assert.equal(
      seedOnly.indexes.get(name)?.def,
      "CREATE INDEX idx_jobs_expires_at ON public.jobs USING btree (expires_at)",
    );
  }
});

Deno.test("schema catalog - the comparison reports a changed column, constraint, index and a missing trigger", async () => {
  // The comparison itself must not be blind: tamper with a copy of the migrated catalog.
  const db = await createTestDatabase("catalog_tamper");
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    const serverUrl = Deno.env.get("TEST_DATABASE_URL")!;
    const seed = await seedCatalog(serverUrl);
    await sql.unsafe(`
      alter table users alter column timezone set default 'Europe/Paris';
      alter table jobs drop constraint chk_salary_range;
      alter table jobs add constraint chk_salary_range check (comp_min < comp_max);
      drop index idx_contacts_email;
      create index idx_contacts_email on contacts (lower(email));
      drop trigger trg_ijp_updated_at on job_preferences;
      alter table mailboxes alter column daily_cap type bigint;`);
    const problems = compare(seed, await readCatalog(sql), { exact: false, partitioned: await has0030() });
    const expected = [
      /^users\.timezone default: ours 'Europe\/Paris'::character varying, seed 'UTC'::character varying$/,
      /^constraint jobs\.chk_salary_range: ours c CHECK \(\(comp_min < comp_max\)\)/,
      /^index idx_contacts_email: ours CREATE INDEX idx_contacts_email ON public\.contacts USING btree \(lower/,
      /^trigger job_preferences\.trg_ijp_updated_at: ours missing/,
      /^mailboxes\.daily_cap type: ours bigint, seed integer$/,
    ];
    for (const pattern of expected) {
      assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in:\n${problems.join("\n")}`);
    }
    assert.equal(problems.length, expected.length, problems.join("\n"));
  } finally {
    await sql.end();
    await db.drop();
  }
});

Deno.test("match_scores - REFRESH MATERIALIZED VIEW CONCURRENTLY works fresh and after new scores, with the seed's categories", async () => {
  const db = await createTestDatabase("match_scores");
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    // Fresh database: the view is populated (WITH DATA), so CONCURRENTLY is accepted.
    await sql`refresh materialized view concurrently match_scores`;
    const [{ n }] = await sql`select count(*)::int as n from match_scores`;
    assert.equal(n, 0);

    const [user] = await sql`insert into users (email) values ('scores@catalog.test') returning id`;
    const [other] = await sql`insert into users (email) values ('other@catalog.test') returning id`;
    const [company] = await sql`insert into companies (name) values ('Scores Inc') returning id`;
    const scores = [100, 90, 89, 75, 74, 50, 49, 0, null];
    for (const [i, score] of scores.entries()) {
      const [job] = await sql`
        insert into jobs (source, title, company_id) values ('t', ${`job ${i}`}, ${company.id}) returning id`;
      await sql`insert into applications (user_id, job_id, match_score) values (${user.id}, ${job.id}, ${score})`;
      if (i === 0) {
        await sql`insert into applications (user_id, job_id, match_score) values (${other.id}, ${job.id}, 10)`;
      }
    }
    // Not refreshed yet: still empty.
    assert.equal((await sql`select count(*)::int as n from match_scores`)[0].n, 0);
    await sql`refresh materialized view concurrently match_scores`;
    const rows = await sql`
      select score, category from match_scores where user_id = ${user.id} order by score desc`;
    assert.deepEqual(rows.map((r) => [r.score, r.category]), [
      [100, "excellent"],
      [90, "excellent"],
      [89, "strong"],
      [75, "strong"],
      [74, "fair"],
      [50, "fair"],
      [49, "low"],
      [0, "low"],
    ]); // the NULL score is left out, as in the seed's WHERE
    const [{ calculated }] = await sql`
      select bool_and(m.calculated_at = a.applied_at) as calculated
      from match_scores m join applications a using (user_id, job_id)`;
    assert.equal(calculated, true);

    // A second concurrent refresh applies changes and deletions.
    await sql`update applications set match_score = 95 where user_id = ${user.id} and match_score = 0`;
    await sql`delete from applications where user_id = ${other.id}`;
    await sql`refresh materialized view concurrently match_scores`;
    const after = await sql`select user_id, score, category from match_scores order by score desc`;
    assert.equal(after.length, 8);
    assert.ok(after.every((r) => r.user_id === user.id));
    assert.deepEqual([after[0].score, after[0].category], [100, "excellent"]);
    assert.deepEqual([after[1].score, after[1].category], [95, "excellent"]);

    // The categories are exactly the seed's CASE.
    const seedText = Deno.readTextFileSync(SEED_DDL);
    const seedCategories = [...seedText.matchAll(/WHEN a\.match_score >= (\d+) THEN '(\w+)'/g)]
      .map((m) => [Number(m[1]), m[2]]);
    assert.deepEqual(seedCategories, [[90, "excellent"], [75, "strong"], [50, "fair"]]);
    assert.match(seedText, /ELSE 'low'/);
  } finally {
    await sql.end();
    await db.drop();
  }
});

// ---------------------------------------------------------------------------------------------------------
// Debian PostgreSQL 15
// ---------------------------------------------------------------------------------------------------------

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

async function run(cmd: string, args: string[], asPostgres: boolean): Promise<string> {
  const [program, argv] = asPostgres && Deno.uid() === 0
    ? ["runuser", ["-u", "postgres", "--", cmd, ...args]]
    : [
      cmd,
      args,
    ];
  const out = await new Deno.Command(program, { args: argv, stdin: "null", stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed:\n${text}`);
  return text;
}

Deno.test({
  name: "schema catalog - PostgreSQL 15 (Debian): migrates twice and yields every schema fact of the seed",
  ignore: !existsSync(`${PG15}/initdb`),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "roleferry-pg15-" });
    await Deno.chmod(dir, 0o755);
    if (Deno.uid() === 0) await run("chown", ["postgres", dir], false);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    await run(`${PG15}/initdb`, ["-D", `${dir}/data`, "-U", "postgres", "--auth=trust", "-E", "UTF8"], true);
    let started = false;
    try {
      await run(`${PG15}/pg_ctl`, [
        "-D",
        `${dir}/data`,
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        "-l",
        `${dir}/log`,
        "-w",
        "start",
      ], true);
      started = true;
      const serverUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
      const probe = postgres(serverUrl, { max: 1, onnotice: () => {} });
      const [{ version }] = await probe`select current_setting('server_version_num')::int as version`;
      await probe.end();
      assert.ok(version >= 150000 && version < 160000, `PostgreSQL 15, got ${version}`);
      const { full } = await checkServer(serverUrl);
      assert.equal(full.version, version);
    } finally {
      if (started) await run(`${PG15}/pg_ctl`, ["-D", `${dir}/data`, "-m", "fast", "-w", "stop"], true);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
