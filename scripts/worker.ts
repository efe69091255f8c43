/**
 * `deno task worker`: the scheduled jobs without HTTP, for deployments that run
 * the app with ROLEFERRY_CRON=off. Several workers (and app processes with cron
 * on) may share one database: each tick still runs once (jobs/registry.ts).
 * Stops on SIGINT/SIGTERM after the runs in flight finish.
 */
import { ConfigError, loadConfig, resolveSecret, setConfig } from "@/fresh.config.ts";
import { connect, disconnect } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import { openDatabase } from "@/app/database.ts";
import { drainWork, setReady } from "@/app/lifecycle.ts";
import { log } from "@/core/log.ts";
import { installProcessGuard } from "@/app/process_guard.ts";

installProcessGuard();
try {
  const config = setConfig(loadConfig());
  await resolveSecret(config);
  const database = await openDatabase(config);
  const pool = await connect(database.url, { max: 4, application: "roleferry-worker" });
  const { total } = await migrate(pool);
  // jobs/cron.ts registers only when ROLEFERRY_CRON is not "off"; in the worker the crons are the point.
  Deno.env.set("ROLEFERRY_CRON", "on");
  const { CRON_ENABLED } = await import("@/jobs/cron.ts");
  setReady();
  log.info("worker started", { migrations: total, crons: CRON_ENABLED });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      log.info("worker stopping", { signal });
      await drainWork();
      await disconnect();
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
