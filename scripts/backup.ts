/**
 * `deno task backup FILE [--format=pg_dump|builtin]`: a logical backup of
 * DATABASE_URL (or the embedded database). With a pg_dump at least as new as the
 * server: pg_dump's custom format. Otherwise (Debian 12's pg_dump 15 against the
 * embedded PostgreSQL 18, say) RoleFerry's own format (db/backup.ts), which needs
 * only the connection. `deno task restore FILE` reads both. Prints a JSON summary.
 */
import { ConfigError, loadConfig } from "@/fresh.config.ts";
import { createPool } from "@/db/client.ts";
import { writeBackup } from "@/db/backup.ts";
import { openDatabase } from "@/app/database.ts";
import { findPgTool, libpqUrl, runTool, serverMajor, versionMismatch } from "./pg_tools.ts";

const file = Deno.args.find((a) => !a.startsWith("--"));
const format = /^--format=(pg_dump|builtin)$/.exec(Deno.args.find((a) => a.startsWith("--format")) ?? "")
  ?.[1];
if (!file || Deno.args.some((a) => a.startsWith("--format")) && !format) {
  console.error("usage: deno task backup FILE [--format=pg_dump|builtin]");
  Deno.exit(2);
}

let code = 1;
try {
  const database = await openDatabase(loadConfig());
  try {
    const url = libpqUrl(database.url);
    const server = await serverMajor(url);
    const pgDump = format === "builtin" ? undefined : await findPgTool("pg_dump");
    const usable = pgDump && pgDump.major >= server;
    if (format === "pg_dump" && !usable) {
      throw new Error(
        pgDump
          ? versionMismatch(pgDump, server)
          : "pg_dump not found: install the PostgreSQL client tools or set PG_BINDIR",
      );
    }
    const started = performance.now();
    let summary: Record<string, unknown>;
    if (usable) {
      const run = await runTool(pgDump.path, [
        "--format=custom",
        "--compress=6",
        `--file=${file}`,
        `--dbname=${url}`,
      ]);
      if (!run.ok) throw new Error(`pg_dump failed: ${run.stderr.trim()}`);
      summary = { format: "pg_dump", pg_dump: `${pgDump.path} (${pgDump.major})` };
    } else {
      if (format !== "builtin") {
        console.error(
          pgDump
            ? `note: ${
              versionMismatch(pgDump, server).split(":")[0]
            }; using RoleFerry's own backup format instead`
            : "note: pg_dump not found; using RoleFerry's own backup format",
        );
      }
      const pool = createPool(database.url, { max: 2, application: "roleferry-backup" });
      try {
        const header = await writeBackup(pool, file);
        summary = {
          format: "builtin",
          tables: header.tables.length,
          rows: header.tables.reduce((sum, t) => sum + t.rows, 0),
          migrations: header.migrations.length,
        };
      } finally {
        await pool.end({ timeout: 5 });
      }
    }
    const { size } = await Deno.stat(file);
    console.log(JSON.stringify({
      file,
      bytes: size,
      server_version: server,
      ...summary,
      ms: Math.round(performance.now() - started),
    }));
    code = 0;
  } finally {
    await database.stop();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `backup failed: ${(error as Error).message}`);
}
Deno.exit(code);
