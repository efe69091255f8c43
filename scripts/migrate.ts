/** `deno task migrate`: apply pending migrations to DATABASE_URL (or the embedded default) and exit. */
import { ConfigError, loadConfig } from "@/fresh.config.ts";
import { createPool } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import { openDatabase } from "@/app/database.ts";

try {
  const config = loadConfig();
  const database = await openDatabase(config);
  const pool = createPool(database.url, { max: 1, application: "roleferry-migrate" });
  try {
    const { applied, total } = await migrate(pool);
    console.log(
      applied.length ? `applied ${applied.length} migration(s): ${applied.join(", ")}` : "nothing to apply",
    );
    console.log(`${total} migration(s) in the database`);
  } finally {
    await pool.end({ timeout: 5 });
    await database.stop();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `migrate failed: ${(error as Error).message}`);
  Deno.exit(1);
}
