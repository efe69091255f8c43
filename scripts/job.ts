/**
 * `deno task job NAME`: runs one scheduled job once, now, against DATABASE_URL
 * (or the embedded default) after applying pending migrations, and prints the
 * run as one JSON object on stdout (log lines go to stderr). Exit 0 when it ran,
 * 1 when it failed or another process is running it, 2 for an unknown name.
 */
import { ConfigError, loadConfig, resolveSecret } from "@/fresh.config.ts";
import { createPool } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import { openDatabase } from "@/app/database.ts";
import { createAppContext } from "@/app/context.ts";
import { createLogger, stderrSink } from "@/core/log.ts";
import { isJobName, JOB_NAMES, runJob } from "@/jobs/registry.ts";

const name = Deno.args[0] ?? "";
if (!isJobName(name)) {
  console.error(`${name ? `unknown job "${name}"` : "no job named"}; jobs: ${JOB_NAMES.join(", ")}`);
  console.error("usage: deno task job NAME");
  Deno.exit(2);
}

// stdout is the run's JSON: the log lines go to stderr
const log = createLogger({ sink: stderrSink, level: "info" });
let code = 1;
try {
  const config = loadConfig();
  await resolveSecret(config);
  const database = await openDatabase(config);
  const pool = createPool(database.url, { max: 4, application: `roleferry-job-${name}` });
  try {
    await migrate(pool);
    const app = createAppContext(config, pool, { log });
    const run = await runJob(app, name, { trigger: "manual" });
    console.log(JSON.stringify(run, null, 2));
    code = run.outcome === "ok" ? 0 : 1;
  } finally {
    await pool.end({ timeout: 5 });
    await database.stop();
  }
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `job ${name} failed: ${(error as Error).message}`,
  );
}
Deno.exit(code);
