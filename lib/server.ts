/**
 * Boot, in the contract's order: configuration, database, migrations,
 * (scheduled jobs — registered by jobs/cron.ts, waiting on `ready()`), HTTP.
 * And the reverse on SIGINT/SIGTERM: stop taking requests, finish those in
 * flight, stop the jobs, close the pool, stop the embedded database.
 */
import { fileURLToPath } from "node:url";
import { type Config, loadConfig, resolveSecret, setConfig } from "../fresh.config.ts";
import { connect, disconnect } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";
import { seedTestUsers } from "../db/seed.ts";
import { createApp } from "../fresh/mod.ts";
import { limitRequestBody } from "./body_limit.ts";
import { type DatabaseHandle, openDatabase } from "./database.ts";
import { drainWork, setReady } from "./lifecycle.ts";
import type { AppState } from "./state.ts";

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** The HTTP application (routes, islands, static files) as one fetch function. */
export async function createWebApp(): Promise<
  (req: Request, info?: Deno.ServeHandlerInfo) => Promise<Response>
> {
  const { fetch } = await createApp<AppState>({
    routesDir: root("routes"),
    islandsDir: root("islands"),
    staticDir: root("static"),
    buildDir: root("static/build"),
    build: "ifMissing",
    initState: (req) => ({ requestId: requestIdOf(req) }),
  });
  // Every body is limited while it is read (lib/body_limit.ts), whichever route reads it.
  return (req, info) => fetch(limitRequestBody(req), info);
}

/** Keeps a caller's `x-request-id` when it is a sane token, else makes one. */
function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[\w.-]{8,64}$/.test(given) ? given : crypto.randomUUID();
}

export interface RunningApp {
  config: Config;
  url: string;
  /** Stops everything in the reverse order of boot. */
  shutdown(): Promise<void>;
  finished: Promise<void>;
}

/**
 * Starts RoleFerry. `config` defaults to the environment's.
 *
 * @example
 * const app = await boot();
 * Deno.addSignalListener("SIGTERM", () => app.shutdown());
 */
export async function boot(config: Config = loadConfig()): Promise<RunningApp> {
  setConfig(config);
  await resolveSecret(config);
  let database: DatabaseHandle | undefined;
  try {
    database = await openDatabase(config);
    const pool = await connect(database.url, { max: 10 });
    await migrate(pool);
    if (config.env === "development" || config.env === "staging") await seedTestUsers();
  } catch (error) {
    await disconnect().catch(() => {});
    await database?.stop().catch(() => {});
    throw error;
  }
  setReady();
  const fetch = await createWebApp();
  const server = Deno.serve(
    { port: config.port, hostname: config.hostname, onListen: () => {} },
    (req, info) => fetch(req, info),
  );
  const { port } = server.addr as Deno.NetAddr;
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    stopping ??= (async () => {
      await server.shutdown();
      await drainWork();
      await disconnect();
      await database.stop();
    })();
  return {
    config,
    url: `http://${config.hostname.includes(":") ? `[${config.hostname}]` : config.hostname}:${port}`,
    shutdown,
    finished: server.finished,
  };
}
