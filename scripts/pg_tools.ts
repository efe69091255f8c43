/**
 * Finding PostgreSQL's client programs (pg_dump, pg_restore) for the backup
 * tasks. pg_dump refuses to dump a server newer than itself, and Debian 12 ships
 * only the version 15 tools while the embedded server is PostgreSQL 18, so the
 * version is checked up front and the error says what to install.
 */
import postgres from "postgres";

export interface PgTool {
  path: string;
  major: number;
}

/**
 * The newest `name` found: `$PG_BINDIR/name`, then Debian's
 * `/usr/lib/postgresql/<major>/bin/name`, then `name` on the PATH.
 */
export async function findPgTool(name: "pg_dump" | "pg_restore"): Promise<PgTool | undefined> {
  const candidates: string[] = [];
  const binDir = Deno.env.get("PG_BINDIR");
  if (binDir) candidates.push(`${binDir}/${name}`);
  try {
    const versions: number[] = [];
    for await (const entry of Deno.readDir("/usr/lib/postgresql")) {
      if (/^\d+$/.test(entry.name)) versions.push(Number(entry.name));
    }
    versions.sort((a, b) => b - a).forEach((v) => candidates.push(`/usr/lib/postgresql/${v}/bin/${name}`));
  } catch { /* not Debian */ }
  candidates.push(name);
  let best: PgTool | undefined;
  for (const path of candidates) {
    const major = await toolMajor(path);
    if (major !== undefined && (!best || major > best.major)) best = { path, major };
    if (binDir && path.startsWith(binDir) && major !== undefined) return { path, major }; // explicit choice wins
  }
  return best;
}

async function toolMajor(path: string): Promise<number | undefined> {
  try {
    const out = await new Deno.Command(path, { args: ["--version"], stdout: "piped", stderr: "null" })
      .output();
    if (!out.success) return undefined;
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(new TextDecoder().decode(out.stdout));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The server's major version (15, 18, ...). */
export async function serverMajor(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ v: string }[]>`select current_setting('server_version_num') as v`;
    return Math.floor(Number(row.v) / 10000);
  } finally {
    await sql.end();
  }
}

/** A connection string for libpq tools: PgBouncer's marker removed (dumps need a session, not a pool). */
export function libpqUrl(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete("pgbouncer");
  return parsed.toString();
}

/** The one-line error for a pg_dump older than the server, naming both versions and the way out. */
export function versionMismatch(tool: PgTool, server: number): string {
  return `${tool.path} is version ${tool.major}, the server is PostgreSQL ${server}: pg_dump refuses to dump a ` +
    `newer server. Install the PostgreSQL ${server} client tools (Debian/Ubuntu: postgresql-client-${server} ` +
    `from apt.postgresql.org) and set PG_BINDIR to their bin folder, or back up with the server's own ` +
    `pg_dump (docs/operations.md, "Backups").`;
}

/** Runs a tool, returning its exit status and stderr. */
export async function runTool(path: string, args: string[]): Promise<{ ok: boolean; stderr: string }> {
  const out = await new Deno.Command(path, { args, stdout: "inherit", stderr: "piped" }).output();
  return { ok: out.success, stderr: new TextDecoder().decode(out.stderr) };
}
