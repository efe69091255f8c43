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
import { config, loadConfig, resolveSecret } from "@/fresh.config.ts";
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
 * An app context on a pool the test already has, with the configuration the process holds now (tests that
 * still use `useAppDatabase` and `setConfig`). Built at each call, so it follows a `setConfig` made meanwhile.
 *
 * @example
 * const result = await dispatchOutreach(appOn(db.sql), { transport });
 */
export function appOn(sql: Sql, overrides: Parameters<typeof createAppContext>[2] = {}): AppContext {
  return createAppContext(config(), sql, overrides);
}
