/**
 * Boot, in the contract's order: configuration, database, migrations,
 * (scheduled jobs — registered by main.ts through jobs/cron.ts, waiting for
 * the app context boot builds), HTTP.
 * And the reverse on SIGINT/SIGTERM: stop taking requests, finish those in
 * flight, stop the jobs, close the pool, stop the embedded database.
 */
import { fileURLToPath } from "node:url";
import { type Config, loadConfig, resolveSecret } from "@/fresh.config.ts";
import { createPool, type Sql } from "@/db/client.ts";
import { migrate, readMigrations } from "@/db/migrate.ts";
import { seedTestUsers } from "@/services/accounts/seed.ts";
import { ensureDevMailboxes } from "@/db/dev_mailboxes.ts";
import { createApp } from "@/fresh/mod.ts";
import { limitRequestBody } from "@/web/body_limit.ts";
import { createErrorHandler, httpError } from "@/web/errors.ts";
import { type DatabaseHandle, openDatabase } from "./database.ts";
import type { AppState } from "@/web/state.ts";
import type { AppContext } from "@/services/app_context.ts";
import { createAppContext } from "./context.ts";
import type { Lifecycle } from "@/core/lifecycle.ts";
import type { Logger } from "@/core/log.ts";

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * The HTTP application (routes, islands, static files) as one fetch function. Route modules are imported on
 * their first request (importing them all is the largest part of a start); `boot` imports the rest a moment
 * after it listens, so a malformed module still shows at once in the log.
 */
export async function createWebApp(app: AppContext): Promise<
  ((req: Request, info?: Deno.ServeHandlerInfo) => Promise<Response>) & { warm: () => Promise<Error[]> }
> {
  const { fetch, warm } = await createApp<AppState>({
    routesDir: root("routes"),
    islandsDir: root("islands"),
    staticDir: root("static"),
    buildDir: root("static/build"),
    build: "ifMissing",
    initState: (req) => ({ requestId: requestIdOf(req), app }),
    lazyRoutes: true,
    onError: createErrorHandler(app.log),
    httpError,
  });
  // Every body is limited while it is read (web/body_limit.ts), whichever route reads it.
  const limited = (req: Request, info?: Deno.ServeHandlerInfo) => fetch(limitRequestBody(req), info);
  return Object.assign(limited, { warm });
}

/** Imports the routes not imported yet, after `delayMs`; a malformed route module is logged as an error. */
function warmLater(warm: () => Promise<Error[]>, delayMs: number): void {
  const timer = setTimeout(async () => {
    for (const error of await warm()) {
      console.error(
        JSON.stringify({ level: "error", msg: "route module failed to load", error: error.message }),
      );
    }
  }, delayMs);
  Deno.unrefTimer(timer);
}

/** Keeps a caller's `x-request-id` when it is a sane token, else makes one. */
function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[\w.-]{8,64}$/.test(given) ? given : crypto.randomUUID();
}

export interface RunningApp {
  config: Config;
  /** The app context the server runs with (jobs and tests in the same process use it). */
  app: AppContext;
  url: string;
  /** Stops everything in the reverse order of boot. */
  shutdown(): Promise<void>;
  finished: Promise<void>;
  /** Milliseconds each part of the boot took (config, database, connect, migrations, seed, routes). */
  bootParts: Record<string, number>;
}

/** What the caller of `boot` made before it: main.ts's lifecycle carries the crons' signal. */
export interface BootOptions {
  lifecycle?: Lifecycle;
  log?: Logger;
  /** Called once the migrations are applied, before HTTP starts (main.ts's crons start working then). */
  onReady?: (app: AppContext) => void;
}

/**
 * Starts RoleFerry. `config` defaults to the environment's.
 *
 * @example
 * const app = await boot();
 * Deno.addSignalListener("SIGTERM", () => app.shutdown());
 */
export async function boot(config: Config = loadConfig(), options: BootOptions = {}): Promise<RunningApp> {
  const parts: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    parts[name] = Math.round((now - mark) * 10) / 10;
    mark = now;
  };
  await resolveSecret(config);
  lap("config");
  let database: DatabaseHandle | undefined;
  let pool: Sql | undefined;
  let app: AppContext | undefined;
  // The migration files are read and hashed while PostgreSQL starts (both mostly wait on I/O).
  const migrations = readMigrations();
  migrations.catch(() => {});
  try {
    database = await openDatabase(config);
    lap("database");
    pool = createPool(database.url, { max: 10 });
    app = createAppContext(config, pool, { lifecycle: options.lifecycle, log: options.log });
    lap("connect");
    await migrate(pool, { migrations: await migrations });
    lap("migrations");
    await app.replicas.connect(config.replicaUrls, { maxLagS: config.replicaMaxLagS });
    if (config.env === "development" || config.env === "staging") await seedTestUsers(app);
    await ensureDevMailboxes(pool, config);
    lap("seed");
  } catch (error) {
    await app?.replicas.disconnect().catch(() => {});
    await pool?.end({ timeout: 5 }).catch(() => {});
    await database?.stop().catch(() => {});
    throw error;
  }
  const owned = pool;
  options.onReady?.(app);
  const fetch = await createWebApp(app);
  lap("routes");
  const server = Deno.serve(
    { port: config.port, hostname: config.hostname, onListen: () => {} },
    (req, info) => fetch(req, info),
  );
  const { port } = server.addr as Deno.NetAddr;
  warmLater(fetch.warm, 1_000);
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    stopping ??= (async () => {
      await server.shutdown();
      await app.lifecycle.drain();
      app.passwords.close();
      await app.replicas.disconnect();
      await owned.end({ timeout: 5 });
      await database.stop();
    })();
  return {
    config,
    app,
    url: `http://${config.hostname.includes(":") ? `[${config.hostname}]` : config.hostname}:${port}`,
    shutdown,
    finished: server.finished,
    bootParts: parts,
  };
}
