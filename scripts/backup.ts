/**
 * `deno task backup FILE`: a logical backup of DATABASE_URL (or the embedded
 * database) in pg_dump's custom format, which `deno task restore FILE` loads
 * into an empty database. Prints a JSON summary. Exits 1 with one clear line
 * when pg_dump is missing or older than the server (docs/operations.md).
 */
import { ConfigError, loadConfig } from "../fresh.config.ts";
import { openDatabase } from "../lib/database.ts";
import { findPgTool, libpqUrl, runTool, serverMajor, versionMismatch } from "./pg_tools.ts";

const file = Deno.args[0];
if (!file) {
  console.error("usage: deno task backup FILE");
  Deno.exit(2);
}

let code = 1;
try {
  const database = await openDatabase(loadConfig());
  try {
    const url = libpqUrl(database.url);
    const server = await serverMajor(url);
    const pgDump = await findPgTool("pg_dump");
    if (!pgDump) throw new Error("pg_dump not found: install the PostgreSQL client tools or set PG_BINDIR");
    if (pgDump.major < server) throw new Error(versionMismatch(pgDump, server));
    const started = performance.now();
    const run = await runTool(pgDump.path, [
      "--format=custom",
      "--compress=6",
      `--file=${file}`,
      `--dbname=${url}`,
    ]);
    if (!run.ok) throw new Error(`pg_dump failed: ${run.stderr.trim()}`);
    const { size } = await Deno.stat(file);
    console.log(JSON.stringify({
      file,
      bytes: size,
      server_version: server,
      pg_dump: `${pgDump.path} (${pgDump.major})`,
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
