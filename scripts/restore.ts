/**
 * `deno task restore FILE`: loads a `deno task backup` file into DATABASE_URL
 * (or the embedded database), which must be empty: a restore never merges into
 * live data. It creates the cluster-wide roles the schema grants to (app_user,
 * readonly) when missing. A pg_dump file goes through pg_restore in one
 * transaction that stops at the first error; a file in RoleFerry's own format
 * through db/backup.ts (migrations, then the rows in one transaction). Either
 * way a failed restore leaves no half-loaded data.
 */
import postgres from "postgres";
import { ConfigError, loadConfig } from "@/fresh.config.ts";
import { openDatabase } from "@/app/database.ts";
import { createPool } from "@/db/client.ts";
import { isBuiltinBackup, restoreBackup } from "@/db/backup.ts";
import { findPgTool, libpqUrl, runTool } from "./pg_tools.ts";

const file = Deno.args[0];
if (!file) {
  console.error("usage: deno task restore FILE (into an empty database named by DATABASE_URL)");
  Deno.exit(2);
}

/** Roles are not in a database dump (they belong to the cluster): the same guarded creation as 0001. */
const ROLES = `
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'readonly') THEN
        CREATE ROLE readonly NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_user') THEN
        CREATE ROLE app_user LOGIN;
    END IF;
    IF NOT pg_has_role(current_user, 'app_user', 'MEMBER') THEN
        EXECUTE format('GRANT app_user TO %I', current_user);
    END IF;
END
$$`;

let code = 1;
try {
  await Deno.stat(file).catch(() => {
    throw new Error(`${file}: no such file`);
  });
  const database = await openDatabase(loadConfig());
  try {
    const url = libpqUrl(database.url);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const [{ tables, name }] = await sql<{ tables: number; name: string }[]>`
        select count(*)::int as tables, current_database() as name from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')`;
      if (tables > 0) {
        throw new Error(
          `restore needs an empty database: "${name}" already has ${tables} tables/views. ` +
            `Create a new database (createdb) and point DATABASE_URL at it.`,
        );
      }
      await sql.unsafe(ROLES);
    } finally {
      await sql.end();
    }
    const started = performance.now();
    if (await isBuiltinBackup(file)) {
      const pool = createPool(database.url, { max: 2, application: "roleferry-restore" });
      try {
        const result = await restoreBackup(pool, file);
        console.log(
          JSON.stringify({ file, format: "builtin", ...result, ms: Math.round(performance.now() - started) }),
        );
      } finally {
        await pool.end({ timeout: 5 });
      }
    } else {
      const pgRestore = await findPgTool("pg_restore");
      if (!pgRestore) {
        throw new Error("pg_restore not found: install the PostgreSQL client tools or set PG_BINDIR");
      }
      const run = await runTool(pgRestore.path, [
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        `--dbname=${url}`,
        file,
      ]);
      if (!run.ok) {
        throw new Error(`pg_restore (${pgRestore.major}) failed, nothing restored: ${run.stderr.trim()}`);
      }
      const check = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const [row] = await check<{ migrations: number; tables: number }[]>`
          select (select count(*)::int from schema_migrations) as migrations,
                 (select count(*)::int from pg_tables where schemaname = 'public') as tables`;
        console.log(
          JSON.stringify({ file, format: "pg_dump", ...row, ms: Math.round(performance.now() - started) }),
        );
      } finally {
        await check.end();
      }
    }
    code = 0;
  } finally {
    await database.stop();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `restore failed: ${(error as Error).message}`);
}
Deno.exit(code);
