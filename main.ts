/**
 * RoleFerry's entry point and composition root: `deno task start`, and Deno Deploy's `main.ts`.
 *
 * Deno Deploy discovers the crons a deployment registers while this module's top-level code runs, so they
 * are registered here, before the first `await`, when `Config.cron` (ROLEFERRY_CRON) is on. They wait for
 * the app context that `boot` builds, and stop with its lifecycle.
 */
import { type Config, ConfigError, loadConfig } from "./fresh.config.ts";
import { boot } from "@/app/server.ts";
import { installProcessGuard } from "@/app/process_guard.ts";
import { registerCrons } from "@/jobs/cron.ts";
import { createLifecycle } from "@/core/lifecycle.ts";
import { createLogger } from "@/core/log.ts";
import type { AppContext } from "@/services/app_context.ts";

const log = createLogger();
installProcessGuard(log);

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `RoleFerry could not start: ${(error as Error).message}`,
  );
  Deno.exit(1);
}

const lifecycle = createLifecycle();
const running = Promise.withResolvers<AppContext>();
if (config.cron) registerCrons({ app: running.promise, lifecycle });

try {
  // performance.now() counts from the process's start: what passed before this line is module loading.
  const started = performance.now();
  const app = await boot(config, { lifecycle, log, onReady: running.resolve });
  console.log(
    JSON.stringify({
      msg: "listening",
      url: app.url,
      env: app.config.env,
      transport: app.config.mailTransport,
      boot_ms: Math.round(performance.now() - started),
      modules_ms: Math.round(started),
      boot_parts: app.bootParts,
    }),
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      console.log(JSON.stringify({ msg: "shutting down", signal }));
      await app.shutdown();
      Deno.exit(0);
    });
  }
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `RoleFerry could not start: ${(error as Error).message}`,
  );
  Deno.exit(1);
}
