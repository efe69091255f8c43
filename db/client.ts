/**
 * The PostgreSQL pools (postgres.js) and how a user's rows are read:
 *
 * - `createPool(url)` makes a pool owned by its caller: the composition root (`app.sql`), a test, a script.
 *   It runs as the owner: migrations, scheduled jobs, webhooks, admin work. Row-level security does not
 *   apply to the owner.
 * - `withUser(sql, userId, fn)` runs `fn` in a transaction as `app_user` with `app.current_user_id` set,
 *   so every user-owned table shows only that user's rows. Every request made on a user's behalf goes
 *   through it.
 *
 * There is no process-wide pool: every function that queries takes its pool (or a transaction) first.
 */
import postgres from "postgres";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
/** A piece of SQL built with `tx\`...\`` to be placed inside another statement. */
export type Frag = postgres.PendingQuery<postgres.Row[]>;

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

/**
 * The URL `pool` was opened with (`?pgbouncer=true` kept), for a connection of its own (db/job_runs.ts).
 * Only pools made by `createPool` know it.
 */
export function connectionUrl(pool: Sql): string {
  const url = (pool as unknown as { [POOL_URL]?: string })[POOL_URL];
  if (!url) throw new Error("connectionUrl: this pool was not made by createPool");
  return url;
}

/**
 * Runs `fn` in one transaction on `pool` as `app_user` for one user: the row-level security policies then
 * show and accept only that user's rows. `pool` is the app's (`app.sql`), a replica's (db/replicas.ts) or a
 * test's.
 *
 * @example
 * const apps = await withUser(app.sql, userId, (tx) => tx`select * from applications`);
 */
export function withUser<T>(pool: Sql, userId: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!Number.isSafeInteger(userId) || userId <= 0) throw new Error(`withUser: bad user id ${userId}`);
  return pool.begin(async (tx) => {
    await tx`select set_config('app.current_user_id', ${String(userId)}, true),
                    set_config('role', 'app_user', true)`;
    return await fn(tx);
  }) as Promise<T>;
}

/**
 * Like `withUser`, in one round trip: `BEGIN`, the user context (with `settings`, more transaction-local
 * `set_config`s), `statements(tx)` and `COMMIT` are written
 * to one reserved connection before any answer is read (postgres.js pipelines the queries of a connection
 * that are issued without awaiting), so the request waits for the server once instead of once per
 * statement. `pool.begin` cannot do this: it awaits its `BEGIN` before running the function and its
 * `COMMIT` after.
 *
 * The statements cannot use each other's results in TypeScript (they are all sent before the first
 * answer); a later one can read what an earlier one left in the transaction (a `set_config(..., true)`).
 * Safe behind PgBouncer in transaction mode: everything, the context included, is inside the one
 * transaction, and `set_config(..., true)` ends with it. If any statement fails, the server rolls the
 * transaction back (the pipelined `COMMIT` then answers `ROLLBACK`) and the first error is thrown; no result
 * is returned, so nothing read under a context that failed to apply (a failed `BEGIN` would leave the
 * `set_config` local to its own statement) can reach the caller. Meant for reads: a write sent this way
 * after a failed `BEGIN` would commit on its own.
 *
 * One round trip in the steady state: postgres.js describes a parameterised statement the first time a
 * connection runs it (and always with `prepare: false`, i.e. behind PgBouncer), which waits for that
 * answer before the rest is sent.
 */
export async function pipelineAsUser<const T extends readonly Promise<unknown>[]>(
  pool: Sql,
  userId: number,
  statements: (tx: Sql) => T,
  settings: Readonly<Record<string, string>> = {},
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  if (!Number.isSafeInteger(userId) || userId <= 0) throw new Error(`pipelineAsUser: bad user id ${userId}`);
  const tx = await pool.reserve();
  try {
    const sent: Promise<unknown>[] = [tx`begin`];
    // Further transaction-local settings ride in the same statement as the context.
    const more = Object.entries(settings).reduce(
      (list, [name, value]) => tx`${list}, set_config(${name}::text, ${value}::text, true)`,
      tx``,
    );
    sent.push(tx`select set_config('app.current_user_id', ${String(userId)}, true),
                        set_config('role', 'app_user', true) ${more}`);
    const body = statements(tx);
    sent.push(...body, tx`commit`);
    const settled = await Promise.allSettled(sent);
    // The first failure is the cause; the later ones are "current transaction is aborted".
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    return settled.slice(2, 2 + body.length).map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
      -readonly [K in keyof T]: Awaited<T[K]>;
    };
  } finally {
    tx.release();
  }
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
