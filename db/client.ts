/**
 * The PostgreSQL pools (postgres.js) and how a user's rows are read:
 *
 * - `createPool(url)` makes a pool owned by its caller: the composition root (`app.sql`), a test, a script.
 *   It runs as the owner: migrations, scheduled jobs, webhooks, admin work. Row-level security does not
 *   apply to the owner.
 * - `withUserOn(sql, userId, fn)` runs `fn` in a transaction as `app_user` with `app.current_user_id` set,
 *   so every user-owned table shows only that user's rows. Every request made on a user's behalf goes
 *   through it.
 *
 * Transition (issue 10): the process-wide `sql` Proxy, `connect()`/`disconnect()` and `withUser(userId, fn)`
 * remain for modules not yet handed a pool; `connect()` replaces the pool behind `sql`. They go once nothing
 * uses them.
 */
import postgres from "postgres";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
/** A piece of SQL built with `tx\`...\`` to be placed inside another statement. */
export type Frag = postgres.PendingQuery<postgres.Row[]>;

function notConnected(): never {
  throw new Error("database not connected: call connect(url) first");
}

// deno-lint-ignore no-explicit-any
export let sql: Sql = new Proxy(notConnected as any, { get: notConnected, apply: notConnected });

/**
 * How long one connection attempt may take. It also bounds how long a request can wait when PostgreSQL
 * closes connections during its own start (postgres.js then retries without a limit of its own,
 * porsager/postgres#1193): such requests answer 503 after this long instead of hanging. Generous for a TLS
 * handshake with a remote server.
 */
export const CONNECT_TIMEOUT_S = 5;

export interface ConnectOptions {
  /** Pool size; postgres.js opens connections lazily. */
  max?: number;
  /**
   * Named prepared statements off: needed behind PgBouncer in transaction mode.
   * Also switched off by `?pgbouncer=true` in the URL (the parameter is removed
   * before connecting).
   */
  prepare?: boolean;
  application?: string;
}

/**
 * Opens the pool. Call once at boot; calling it again closes the previous pool.
 *
 * @example
 * await connect(Deno.env.get("DATABASE_URL")!);
 * const [row] = await sql`select 1 as one`;
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Sql> {
  const previous = current;
  current = createPool(url, options);
  sql = current;
  if (previous) await previous.end({ timeout: 5 });
  return current;
}

/**
 * A new pool on `url`, owned by the caller (the composition root, a test, a script), which ends it with
 * `pool.end()`. `?pgbouncer=true` in the URL switches named prepared statements off and is removed.
 */
export function createPool(url: string, options: ConnectOptions = {}): Sql {
  const pooled = /[?&]pgbouncer=true(&|$)/.test(url);
  const pool = postgres(withoutParam(url, "pgbouncer"), {
    max: options.max ?? 10,
    prepare: options.prepare ?? !pooled,
    idle_timeout: 60,
    connect_timeout: CONNECT_TIMEOUT_S,
    // postgres.js waits 3^n/100 s (up to 20 s) before reconnecting after n failures, so a restart of
    // PostgreSQL left requests queued for seconds and recovery late. Half a second at most keeps the
    // 503s quick while it is down and the first 200s quick once it is back.
    backoff: (retries: number) => Math.min(0.02 * 2 ** retries, 0.5),
    onnotice: () => {},
    connection: { application_name: options.application ?? "roleferry" },
  });
  Object.defineProperty(pool, POOL_URL, { value: url });
  return pool;
}

/** Where `createPool` keeps the URL a pool was opened with (a property of the pool, not module state). */
const POOL_URL = Symbol("roleferry.poolUrl");

let current: Sql | undefined;

/**
 * The URL `pool` was opened with (`?pgbouncer=true` kept), for a connection of its own (db/job_runs.ts).
 * Only pools made by `createPool` (or `connect`) know it.
 */
export function connectionUrl(pool: Sql): string {
  const url = (pool as unknown as { [POOL_URL]?: string })[POOL_URL];
  if (!url) throw new Error("connectionUrl: this pool was not made by createPool");
  return url;
}

/** Closes the pool, letting in-flight queries finish for up to `timeout` seconds. */
export async function disconnect(timeout = 5): Promise<void> {
  const pool = current;
  current = undefined;
  if (pool) await pool.end({ timeout });
}

/**
 * Runs `fn` in one transaction as `app_user` for one user: the row-level
 * security policies then show and accept only that user's rows.
 *
 * @example
 * const apps = await withUser(userId, (tx) => tx`select * from applications`);
 */
export function withUser<T>(userId: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withUserOn(sql, userId, fn);
}

/** `withUser` on a given pool (db/replicas.ts runs it on a replica). */
export function withUserOn<T>(pool: Sql, userId: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!Number.isSafeInteger(userId) || userId <= 0) throw new Error(`withUser: bad user id ${userId}`);
  return pool.begin(async (tx) => {
    await tx`select set_config('app.current_user_id', ${String(userId)}, true),
                    set_config('role', 'app_user', true)`;
    return await fn(tx);
  }) as Promise<T>;
}

/**
 * `url` without the query parameter `name`. Not through `new URL()`: a multi-host connection string
 * (`postgres://u@h1:5432,h2:5432/db?target_session_attrs=primary`, the failover setup) is not a WHATWG URL.
 */
export function withoutParam(url: string, name: string): string {
  const [base, query] = url.split(/\?(.*)/s, 2);
  if (query === undefined) return url;
  const kept = query.split("&").filter((part) => part && part.split("=")[0] !== name);
  return kept.length ? `${base}?${kept.join("&")}` : base;
}

/** True when PostgreSQL answers on `sql`. */
export async function ping(sql: Sql): Promise<boolean> {
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  }
}
