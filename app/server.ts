/**
 * Boot, in the contract's order: configuration, database, migrations,
 * (scheduled jobs — registered by jobs/cron.ts, waiting on `ready()`), HTTP.
 * And the reverse on SIGINT/SIGTERM: stop taking requests, finish those in
 * flight, stop the jobs, close the pool, stop the embedded database.
 */
import { fileURLToPath } from "node:url";
import { type Config, loadConfig, resolveSecret, setConfig } from "@/fresh.config.ts";
import { connect, disconnect } from "@/db/client.ts";
import { connectReplicas, disconnectReplicas } from "@/db/replicas.ts";
import { migrate, readMigrations } from "@/db/migrate.ts";
import { seedTestUsers } from "@/services/accounts/seed.ts";
import { ensureDevMailboxes } from "@/db/dev_mailboxes.ts";
import { createApp } from "@/fresh/mod.ts";
import { limitRequestBody } from "@/web/body_limit.ts";
import { createErrorHandler, httpError } from "@/web/errors.ts";
import { type DatabaseHandle, openDatabase } from "./database.ts";
import { drainWork, setReady } from "./lifecycle.ts";
import type { AppState } from "@/web/state.ts";
import type { AppContext } from "@/services/app_context.ts";
import { createAppContext } from "./context.ts";

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

/**
 * Starts RoleFerry. `config` defaults to the environment's.
 *
 * @example
 * const app = await boot();
 * Deno.addSignalListener("SIGTERM", () => app.shutdown());
 */
export async function boot(config: Config = loadConfig()): Promise<RunningApp> {
  const parts: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    parts[name] = Math.round((now - mark) * 10) / 10;
    mark = now;
  };
  setConfig(config);
  await resolveSecret(config);
  lap("config");
  let database: DatabaseHandle | undefined;
  let app: AppContext;
  // The migration files are read and hashed while PostgreSQL starts (both mostly wait on I/O).
  const migrations = readMigrations();
  migrations.catch(() => {});
  try {
    database = await openDatabase(config);
    lap("database");
    const pool = await connect(database.url, { max: 10 });
    app = createAppContext(config, pool);
    lap("connect");
    await migrate(pool, { migrations: await migrations });
    lap("migrations");
    await connectReplicas(config.replicaUrls, { maxLagS: config.replicaMaxLagS });
    if (config.env === "development" || config.env === "staging") await seedTestUsers(app);
    await ensureDevMailboxes(pool, config);
    lap("seed");
  } catch (error) {
    await disconnectReplicas().catch(() => {});
    await disconnect().catch(() => {});
    await database?.stop().catch(() => {});
    throw error;
  }
  setReady();
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
      await drainWork();
      app.passwords.close();
      await disconnectReplicas();
      await disconnect();
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
