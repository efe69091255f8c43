/**
 * Read replicas (`DATABASE_REPLICA_URL`): a second set of pools for reads that tolerate a little staleness
 * (job search, company lookup, the admin statistics' outreach queue), and the one place that decides which
 * server a read goes to. Call sites say `replicas.withReader(userId, fn)` instead of `withUser`, or
 * `replicas.readSql((db) => db`...`)` instead of `sql`; everything else keeps using the primary.
 *
 * The replica pools, their last check, the primary's position history and the round-robin index live in a
 * `Replicas` object (`createReplicas(primary)`), made by the composition root and reached as `app.replicas`.
 *
 * The rule (docs/scaling.md, "Read replicas"):
 * - only GET/HEAD requests read from a replica; a write request, and every read inside it, uses the primary;
 * - read-your-writes: each session carries `wrote_lsn`, the primary's WAL position just after its latest
 *   write (stamped at sign-in and after every successful write request, see `rememberSessionWrite`). A GET of
 *   that session goes to a replica only once the replica has replayed past that position; until then (about
 *   a second at most, the check interval, when replication keeps up) it reads from the primary. The position
 *   lives in the sessions row, so it holds across app processes behind a load balancer;
 * - a replica that lags more than `DATABASE_REPLICA_MAX_LAG_S`, or does not answer its check, is skipped; a
 *   read that fails on a replica because the replica went away (connection errors, shutdown, a recovery
 *   conflict) is run again on the primary, so users never see a replica's failure;
 * - no replica configured: every read uses the primary, and nothing here costs anything.
 *
 * Lag is measured against the primary: every check records the primary's WAL position with its time, and a
 * replica's lag is how long ago the primary was first seen past the position the replica has replayed (zero
 * when it has replayed everything). Unlike `now() - pg_last_xact_replay_timestamp()` this does not grow
 * while the primary is idle.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import postgres from "postgres";
import { CONNECT_TIMEOUT_S, type Sql, type Tx, withUser } from "./client.ts";
import { stampSessionWrite } from "./sessions.ts";
import { isDatabaseUnavailable } from "@/core/db_errors.ts";

export type ReplicaState = "up" | "lagging" | "down";

export interface ReplicaStatus {
  /** host:port/database, never the credentials. */
  name: string;
  state: ReplicaState;
  /** Seconds behind the primary at the last check; null when it did not answer. */
  lag_s: number | null;
  /** Why it is down, when it is. */
  error?: string;
}

interface Replica {
  name: string;
  pool: Sql;
  state: ReplicaState;
  lagS: number | null;
  replayLsn?: bigint;
  error?: string;
}

export interface ReplicaOptions {
  /** A replica further behind than this is skipped. */
  maxLagS?: number;
  /** How often replicas and the primary's position are checked. */
  checkEveryMs?: number;
  /** Pool size per replica. */
  max?: number;
}

/** What the current request allows: the session's last write position, and whether it may use a replica. */
interface ReadContext {
  minLsn?: bigint;
  primaryOnly: boolean;
}

/** "16/B374D848" -> 0x16B374D848. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text.trim());
  if (!match) throw new Error(`not an LSN: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

/**
 * Seconds a replica that replayed up to `replayed` is behind, given the primary's positions over time:
 * how long ago the primary was first seen past `replayed`; 0 when no recorded position is past it.
 */
export function lagSeconds(samples: { at: number; lsn: bigint }[], replayed: bigint, now: number): number {
  const first = samples.find((s) => s.lsn > replayed);
  return first ? Math.max(0, (now - first.at) / 1000) : 0;
}

/** host:port/database of a connection string, without credentials or parameters. */
export function describeUrl(url: string): string {
  const rest = url.replace(/^postgres(ql)?:\/\//, "").replace(/^[^@/]*@/, "");
  return rest.split("?")[0];
}

/**
 * The read replicas of one app, and the rule above. Without `connect` (or with no URL) every read uses the
 * primary and nothing here costs anything.
 */
export class Replicas {
  readonly #context = new AsyncLocalStorage<ReadContext>();
  #replicas: Replica[] = [];
  #maxLagS = 5;
  #timer: number | undefined;
  #next = 0;
  /** The primary's WAL position over the last minute of checks, oldest first. */
  #history: { at: number; lsn: bigint }[] = [];

  /** `primary`: the owner pool, where every read goes that may not (or cannot) use a replica. */
  constructor(readonly primary: Sql) {}

  /** Opens a pool per replica and starts checking them; a replica that is down at start is only skipped. */
  async connect(urls: string[], options: ReplicaOptions = {}): Promise<void> {
    await this.disconnect();
    this.#maxLagS = options.maxLagS ?? 5;
    this.#replicas = urls.map((url) => ({
      name: describeUrl(url),
      pool: postgres(url, {
        max: options.max ?? 10,
        idle_timeout: 60,
        connect_timeout: CONNECT_TIMEOUT_S,
        backoff: (retries: number) => Math.min(0.02 * 2 ** retries, 0.5),
        onnotice: () => {},
        connection: { application_name: "roleferry-replica" },
      }),
      state: "down" as ReplicaState,
      lagS: null,
      error: "not checked yet",
    }));
    if (!this.#replicas.length) return;
    await this.check();
    let checking = false; // a slow round (up to 2 s) is not overlapped by the next one
    this.#timer = setInterval(() => {
      if (checking) return;
      checking = true;
      this.check().catch(() => {}).finally(() => (checking = false));
    }, options.checkEveryMs ?? 1000) as unknown as number;
    Deno.unrefTimer(this.#timer);
  }

  /** Stops the checks and closes the replica pools. */
  async disconnect(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const closing = this.#replicas;
    this.#replicas = [];
    this.#history = [];
    await Promise.all(closing.map((r) => r.pool.end({ timeout: 2 }).catch(() => {})));
  }

  /** One round of checks: the primary's position, then each replica's, each bounded by one second. */
  async check(): Promise<void> {
    const now = Date.now();
    let primary: { lsn: string }[] | undefined;
    try {
      primary = await bounded(this.primary<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`);
    } catch { /* the primary is not connected (yet): lags are measured against the samples there are */ }
    if (primary?.[0]) {
      this.#history.push({ at: now, lsn: parseLsn(primary[0].lsn) });
      this.#history = this.#history.filter((s) => s.at > now - 60_000);
    }
    await Promise.all(this.#replicas.map(async (replica) => {
      try {
        const rows = await bounded(
          replica.pool<{ standby: boolean; lsn: string | null }[]>`
            select pg_is_in_recovery() as standby,
                   (case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end)::text as lsn`,
          true,
        );
        if (!rows?.[0]?.lsn) throw new Error("no answer within 1 s");
        replica.replayLsn = parseLsn(rows[0].lsn);
        replica.lagS = Math.round(lagSeconds(this.#history, replica.replayLsn, Date.now()) * 10) / 10;
        replica.state = replica.lagS > this.#maxLagS ? "lagging" : "up";
        replica.error = undefined;
      } catch (error) {
        replica.state = "down";
        replica.lagS = null;
        replica.error = (error as Error).message.slice(0, 200);
      }
    }));
  }

  /** The replicas as `/healthz` shows them (empty when none is configured). */
  status(): ReplicaStatus[] {
    return this.#replicas.map((r) => ({
      name: r.name,
      state: r.state,
      lag_s: r.lagS,
      ...(r.error ? { error: r.error } : {}),
    }));
  }

  /**
   * The replicas in the Prometheus text format, for `/metrics` (empty when none is configured):
   * `roleferry_replica_up` (1 when it serves reads, 0 when skipped: lagging or down) and
   * `roleferry_replica_lag_seconds` (at the last check; absent while it does not answer).
   */
  renderMetrics(): string {
    const replicas = this.#replicas;
    if (!replicas.length) return "";
    const label = (r: Replica) => `{replica="${r.name.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"}`;
    return [
      "# HELP roleferry_replica_up 1 when the read replica serves reads, 0 when it is skipped (lagging or down).",
      "# TYPE roleferry_replica_up gauge",
      ...replicas.map((r) => `roleferry_replica_up${label(r)} ${r.state === "up" ? 1 : 0}`),
      "# HELP roleferry_replica_lag_seconds How far the read replica was behind the primary at its last check.",
      "# TYPE roleferry_replica_lag_seconds gauge",
      ...replicas.filter((r) => r.lagS !== null).map((r) =>
        `roleferry_replica_lag_seconds${label(r)} ${r.lagS}`
      ),
    ].join("\n") + "\n";
  }

  /**
   * Runs one request's handler with its read rule: `method` (only GET and HEAD may read from a replica) and
   * the session's `wrote_lsn` (a replica must have replayed past it).
   */
  withReadContext<T>(method: string, wroteLsn: string | null | undefined, fn: () => T): T {
    if (!this.#replicas.length) return fn();
    let minLsn: bigint | undefined;
    try {
      minLsn = wroteLsn ? parseLsn(wroteLsn) : undefined;
    } catch { /* unreadable: treat as none */ }
    return this.#context.run({ minLsn, primaryOnly: method !== "GET" && method !== "HEAD" }, fn);
  }

  /** After a successful write request: the session's later reads must see it (stamps `wrote_lsn`). */
  async rememberSessionWrite(sessionId: string): Promise<void> {
    // The write itself succeeded; if the stamp cannot be written the primary is failing and the next read
    // goes there or answers 503 anyway.
    if (this.#replicas.length) await stampSessionWrite(this.primary, sessionId).catch(() => {});
  }

  /** A read-only query on the owner pool of a replica (or the primary, by the rule above). */
  readSql<T>(read: (db: Sql) => Promise<T>): Promise<T> {
    return this.#onReader(read);
  }

  /** `withUser` for stale-tolerant reads: the same RLS transaction, on a replica when the rule allows. */
  withReader<T>(userId: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#onReader((pool) => withUser(pool, userId, fn));
  }

  /** The replica the current read may use (round robin over the eligible ones), or undefined for the primary. */
  #chooseReplica(): Replica | undefined {
    const rule = this.#context.getStore();
    if (rule?.primaryOnly) return undefined;
    const eligible = this.#replicas.filter((r) =>
      r.state === "up" &&
      (rule?.minLsn === undefined || (r.replayLsn !== undefined && r.replayLsn >= rule.minLsn))
    );
    if (!eligible.length) return undefined;
    return eligible[this.#next++ % eligible.length];
  }

  /** Runs `read` on a replica when the rule allows, else (or when the replica fails underneath) on the primary. */
  async #onReader<T>(read: (pool: Sql) => Promise<T>): Promise<T> {
    const replica = this.#chooseReplica();
    if (!replica) return await read(this.primary);
    try {
      return await read(replica.pool);
    } catch (error) {
      if (!replicaGone(error)) throw error;
      replica.state = "down";
      replica.error = (error as Error).message.slice(0, 200);
      return await read(this.primary);
    }
  }
}

/** The replicas of an app whose owner pool is `primary`; none until `connect`. */
export function createReplicas(primary: Sql): Replicas {
  return new Replicas(primary);
}

/** Errors after which the same read on the primary is the right answer: the replica, not the query, failed. */
function replicaGone(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  // 40001: canceled by a recovery conflict; 25006: read-only transaction (a stale pool after a role change)
  return isDatabaseUnavailable(error) || code === "40001" || code === "25006";
}

/** Resolves with the query's rows, or undefined after a second (the query is then cancelled). */
async function bounded<T extends readonly postgres.MaybeRow[]>(
  query: postgres.PendingQuery<T>,
  rethrow = false,
): Promise<T | undefined> {
  query.catch(() => {});
  let handle: number | undefined;
  const timeout = new Promise<undefined>((
    resolve,
  ) => (handle = setTimeout(resolve, 1000) as unknown as number));
  try {
    const rows = await Promise.race([query, timeout]);
    if (!rows) query.cancel();
    return rows;
  } catch (error) {
    if (rethrow) throw error;
    return undefined;
  } finally {
    clearTimeout(handle);
  }
}
