/**
 * RoleFerry's entry point: `deno task start`, and Deno Deploy's `main.ts`.
 *
 * jobs/cron.ts registers the scheduled jobs at module top level (Deno Deploy
 * discovers crons there); they wait for `ready()` before working.
 */
import "@/jobs/cron.ts";
import { ConfigError } from "./fresh.config.ts";
import { boot } from "@/app/server.ts";
import { installProcessGuard } from "@/app/process_guard.ts";

installProcessGuard();

try {
  // performance.now() counts from the process's start: what passed before this line is module loading.
  const started = performance.now();
  const app = await boot();
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
