/**
 * Debian PostgreSQL 15 clusters for the drills (scripts/pitr_drill.ts, tests/*_drill_test.ts, the pg_dump
 * backup test): the replication drills (replicas, failover, point-in-time recovery): a
 * primary with WAL for streaming and archiving, standbys made with `pg_basebackup -R`, promotion, a SIGKILL
 * of the postmaster, a restore into a new data directory. Each cluster listens on 127.0.0.1 on a free port
 * and lives in a temporary folder removed by `remove()`. As root the programs run as the `postgres` user
 * (initdb and postgres refuse root), as scripts/pg15_check.sh does.
 */
import postgres from "postgres";
import { freePort } from "@/bench/net.ts";
import { migrate } from "@/db/migrate.ts";

export const PG15 = "/usr/lib/postgresql/15/bin";

/** Whether pg_stat_statements can be preloaded (contrib is part of Debian's postgresql-15). */
export const HAS_STATEMENTS = (() => {
  try {
    Deno.statSync("/usr/lib/postgresql/15/lib/pg_stat_statements.so");
    return true;
  } catch {
    return false;
  }
})();

/** Runs a PostgreSQL program as the postgres user when we are root; throws with its stderr on failure. */
export async function asPostgres(cmd: string, args: string[]): Promise<string> {
  const root = Deno.uid() === 0;
  const out = await new Deno.Command(root ? "/usr/sbin/runuser" : cmd, {
    args: root ? ["-u", "postgres", "--", cmd, ...args] : args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

export interface Cluster {
  port: number;
  /** The data directory. */
  data: string;
  url(db?: string): string;
  /** Starts it (again) with its settings. */
  start(): Promise<void>;
  /** `pg_ctl stop` (fast by default: sessions are cut, the data stays). */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  /** SIGKILL of the postmaster: the crash of a machine, as far as clients can tell. */
  kill(): Promise<void>;
  /** `pg_ctl promote`: a standby becomes a primary. */
  promote(): Promise<void>;
  /** Stops it if running and removes its folder. */
  remove(): Promise<void>;
}

export interface ClusterOptions {
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string>;
}

/** The folder all clusters of one drill live in (world-writable: the server runs as postgres). */
export async function drillDir(prefix: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  await Deno.chmod(dir, 0o777);
  return dir;
}

/** Settings every drill cluster gets: loopback only, streaming on, fsync off (a throwaway on one machine). */
function baseSettings(port: number, dir: string): Record<string, string> {
  return {
    port: String(port),
    listen_addresses: "127.0.0.1",
    unix_socket_directories: dir,
    wal_level: "replica",
    max_wal_senders: "5",
    hot_standby: "on",
    fsync: "off",
    max_connections: "60",
    shared_buffers: "32MB",
    ...(HAS_STATEMENTS ? { shared_preload_libraries: "pg_stat_statements" } : {}),
  };
}

function handle(dir: string, data: string, port: number, settings: Record<string, string>): Cluster {
  const log = `${data}.log`;
  const options = Object.entries({ ...baseSettings(port, dir), ...settings })
    .map(([k, v]) => `-c ${k}=${v}`).join(" ");
  let running = false;
  const cluster: Cluster = {
    port,
    data,
    url: (db = "postgres") => `postgres://postgres@127.0.0.1:${port}/${db}`,
    async start() {
      await asPostgres(`${PG15}/pg_ctl`, ["-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start"]);
      running = true;
    },
    async stop(mode = "fast") {
      if (!running) return;
      await asPostgres(`${PG15}/pg_ctl`, ["-D", data, "-m", mode, "-w", "stop"]).catch(() => {});
      running = false;
    },
    async kill() {
      const pid = Number((await Deno.readTextFile(`${data}/postmaster.pid`)).split("\n")[0]);
      Deno.kill(pid, "SIGKILL");
      running = false;
      // the backends notice their postmaster is gone and exit; wait until the port is free again
      for (let i = 0; i < 200; i++) {
        try {
          const conn = await Deno.connect({ hostname: "127.0.0.1", port });
          conn.close();
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async promote() {
      await asPostgres(`${PG15}/pg_ctl`, ["-D", data, "-w", "promote"]);
    },
    async remove() {
      if (running) await cluster.stop("immediate");
      // after kill() the backends exit on their own when they notice their postmaster is gone
      await Deno.remove(data, { recursive: true }).catch(() => {});
    },
  };
  return cluster;
}

/** initdb and start a primary in `dir` (trust auth on 127.0.0.1: replication connections included). */
export async function startPrimary(dir: string, options: ClusterOptions = {}): Promise<Cluster> {
  const data = `${dir}/primary-${crypto.randomUUID().slice(0, 6)}`;
  await asPostgres(`${PG15}/initdb`, [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "--no-locale",
    "-E",
    "UTF8",
  ]);
  const cluster = handle(dir, data, freePort(), options.settings ?? {});
  await cluster.start();
  return cluster;
}

/** `pg_basebackup` of `primary` into `dest` (WAL streamed along, fast checkpoint), plus `extra` arguments. */
export async function baseBackup(primary: Cluster, dest: string, extra: string[] = []): Promise<void> {
  await asPostgres(`${PG15}/pg_basebackup`, [
    ...["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", dest],
    ...["-X", "stream", "-c", "fast", ...extra],
  ]);
}

/** A streaming standby of `primary`: `pg_basebackup -R` (standby.signal and primary_conninfo), then start. */
export async function startStandby(
  dir: string,
  primary: Cluster,
  options: ClusterOptions & { name?: string } = {},
): Promise<Cluster> {
  const name = options.name ?? `standby-${crypto.randomUUID().slice(0, 6)}`;
  const data = `${dir}/${name}`;
  await baseBackup(primary, data, ["-R", "-d", `application_name=${name}`]);
  const cluster = handle(dir, data, freePort(), options.settings ?? {});
  await cluster.start();
  return cluster;
}

/** A primary with a `roleferry` database migrated to the current schema, and an owner pool on it. */
export async function startPrimaryWithSchema(
  dir: string,
  options: ClusterOptions = {},
): Promise<{ primary: Cluster; owner: postgres.Sql }> {
  const primary = await startPrimary(dir, options);
  const admin = postgres(primary.url(), { max: 1, onnotice: () => {} });
  await admin`create database roleferry`;
  await admin.end();
  const owner = postgres(primary.url("roleferry"), { max: 2, onnotice: () => {} });
  await migrate(owner);
  return { primary, owner };
}

/**
 * A cluster started on an existing data directory (a restored base backup): `settings` carry the recovery
 * settings (`restore_command`, `recovery_target_time`, ...); `recovery.signal` is written first.
 */
export async function startRecovered(
  dir: string,
  data: string,
  settings: Record<string, string>,
): Promise<Cluster> {
  await Deno.writeTextFile(`${data}/recovery.signal`, "");
  const cluster = handle(dir, data, freePort(), settings);
  await cluster.start();
  return cluster;
}

/** Waits until `check` is true (polling), or throws naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
