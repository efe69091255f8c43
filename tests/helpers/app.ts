/**
 * An app context for a test: its own cloned database, its own pool, the test configuration, the outbox
 * transport and (when given) a fixed clock. Nothing is shared with other test files, so files can run in
 * parallel.
 *
 * @example
 * const t = await useTestApp("applications");
 * await createApplication(t.app.sql, userId, input);
 * await t.close();
 */
import { type Config, loadConfig, resolveSecret } from "@/fresh.config.ts";
import { createPool, type Sql } from "@/db/client.ts";
import { createAppContext } from "@/app/context.ts";
import type { AppContext } from "@/services/app_context.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { TEST_ENV } from "./server.ts";

export interface TestApp {
  app: AppContext;
  db: TestDatabase;
  /** Ends the pool (and the context's password workers) and drops the database. */
  close(): Promise<void>;
}

export async function useTestApp(
  label = "app",
  options: { env?: Record<string, string>; overrides?: Parameters<typeof createAppContext>[2] } = {},
): Promise<TestApp> {
  const db = await createTestDatabase(label);
  const config = loadConfig({ ...TEST_ENV, DATABASE_URL: db.url, ...options.env });
  await resolveSecret(config);
  const sql = createPool(db.url, { max: 5 });
  const app = createAppContext(config, sql, options.overrides);
  return {
    app,
    db,
    async close() {
      app.passwords.close();
      await sql.end({ timeout: 5 });
      await db.drop();
    },
  };
}

/**
 * An app context on a database a test already opened (`useAppDatabase()`), with its pool and the test
 * configuration.
 *
 * @example
 * const db = await useAppDatabase("jobs");
 * const app = await testAppOn(db);
 * await runJob(app, "expire-jobs");
 */
export async function testAppOn(
  db: { url?: string; sql: Sql },
  options: { env?: Record<string, string>; overrides?: Parameters<typeof createAppContext>[2] } = {},
): Promise<AppContext> {
  const config = loadConfig({ ...TEST_ENV, ...(db.url ? { DATABASE_URL: db.url } : {}), ...options.env });
  await resolveSecret(config);
  return createAppContext(config, db.sql, options.overrides);
}

/**
 * A new app context on a pool and a configuration the test already has (its test server's
 * `server.app.config`, or one it loaded): a fresh transport, resolver and queues at each call, as each
 * dispatcher run in a test had before.
 *
 * @example
 * const result = await dispatchOutreach(appOn(db.sql, server.app.config), { transport });
 */
export function appOn(
  sql: Sql,
  config: Config,
  overrides: Parameters<typeof createAppContext>[2] = {},
): AppContext {
  return createAppContext(config, sql, overrides);
}
