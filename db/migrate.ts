/**
 * Applies the numbered SQL files of `db/migrations/` (`0001_name.sql`, ...).
 *
 * Each file runs in its own transaction and is recorded in `schema_migrations`
 * with a SHA-256 checksum. The whole run holds a PostgreSQL advisory lock, so
 * several processes starting at once apply each migration exactly once: the
 * others wait, then find nothing left to do. A file edited after it was applied
 * is refused, because the database no longer matches the repository.
 */
import type { Sql } from "./client.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  total: number;
}

/** Lock key: `hashtext('roleferry:migrate')` would do too, a constant is plainer. */
const MIGRATION_LOCK = 72_410_001;
const DIR = new URL("./migrations/", import.meta.url);

/** Reads the migration files in version order. */
export async function readMigrations(dir: URL = DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(entry.name);
    if (!entry.isFile || !match) continue;
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    migrations.push({ version: Number(match[1]), name: entry.name, sql: text, checksum: await sha256(text) });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new Error(`two migrations share version ${migrations[i].version}: ${migrations[i].name}`);
    }
  }
  return migrations;
}

/**
 * Applies pending migrations (up to `target` when given, for tests of a
 * migration against data written by the earlier schema).
 *
 * @example
 * const { applied, total } = await migrate(sql);
 */
export async function migrate(
  sql: Sql,
  options: { target?: number; migrations?: Migration[] } = {},
): Promise<MigrateResult> {
  const migrations = options.migrations ?? await readMigrations();
  // The usual start: everything is applied. One query tells, with no lock and no DDL; anything else (a
  // pending or an edited migration, no table yet) takes the locked path below.
  if (options.target === undefined) {
    const recorded = await sql<{ version: number; checksum: string }[]>`
      select version, checksum from schema_migrations`.catch(() => undefined);
    if (recorded) {
      const checksums = new Map(recorded.map((row) => [row.version, row.checksum]));
      if (migrations.every((m) => checksums.get(m.version) === m.checksum)) {
        return { applied: [], total: recorded.length };
      }
    }
  }
  const reserved = await sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await reserved`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
    const rows = await reserved<{ version: number; name: string; checksum: string }[]>`
      select version, name, checksum from schema_migrations order by version`;
    const done = new Map(rows.map((row) => [row.version, row]));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (options.target !== undefined && migration.version > options.target) break;
      const previous = done.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} was edited after it was applied ` +
              `(recorded checksum ${previous.checksum.slice(0, 12)}, file ${
                migration.checksum.slice(0, 12)
              }); ` +
              `add a new migration instead`,
          );
        }
        continue;
      }
      await reserved`begin`;
      try {
        await reserved.unsafe(migration.sql);
        await reserved`
          insert into schema_migrations (version, name, checksum)
          values (${migration.version}, ${migration.name}, ${migration.checksum})`;
        await reserved`commit`;
      } catch (error) {
        await reserved`rollback`.catch(() => {});
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`migration ${migration.name} failed: ${message}`, { cause: error });
      }
      applied.push(migration.name);
    }
    const [{ count }] = await reserved<
      { count: number }[]
    >`select count(*)::int as count from schema_migrations`;
    return { applied, total: count };
  } finally {
    await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    reserved.release();
  }
}

/** Number of applied migrations, for `/healthz`. */
export async function countMigrations(sql: Sql): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from schema_migrations`;
  return row.count;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
