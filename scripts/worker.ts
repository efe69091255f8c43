/**
 * `deno task worker`: the scheduled jobs without HTTP, for deployments that run
 * the app with ROLEFERRY_CRON=off. Several workers (and app processes with cron
 * on) may share one database: each tick still runs once (jobs/registry.ts).
 * Stops on SIGINT/SIGTERM after the runs in flight finish.
 */
import { ConfigError, loadConfig, resolveSecret } from "@/fresh.config.ts";
import { createPool } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import { openDatabase } from "@/app/database.ts";
import { createAppContext } from "@/app/context.ts";
import { createLogger } from "@/core/log.ts";
import { installProcessGuard } from "@/app/process_guard.ts";
import { registerCrons } from "@/jobs/cron.ts";

const log = createLogger();
installProcessGuard(log);
try {
  const config = loadConfig();
  await resolveSecret(config);
  const database = await openDatabase(config);
  const pool = createPool(database.url, { max: 4, application: "roleferry-worker" });
  const { total } = await migrate(pool);
  const app = createAppContext(config, pool, { log });
  // Config.cron (ROLEFERRY_CRON) switches the app processes' crons; in the worker the crons are the point.
  registerCrons({ app: Promise.resolve(app), lifecycle: app.lifecycle });
  log.info("worker started", { migrations: total, crons: true });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      log.info("worker stopping", { signal });
      await app.lifecycle.drain();
      await pool.end({ timeout: 5 });
      await database.stop();
      Deno.exit(0);
    });
  }
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `worker could not start: ${(error as Error).message}`,
  );
  Deno.exit(1);
}
