/**
 * One fresh database per test file, cloned from the template that
 * `deno task test` migrated (so every file starts from the full schema and
 * the seed data, and files cannot disturb each other).
 */
import postgres from "postgres";
import { createPool, type Sql } from "@/db/client.ts";

export interface TestDatabase {
  name: string;
  /** Owner connection string to this database. */
  url: string;
  /** Server URL (the `postgres` database), for admin statements. */
  serverUrl: string;
  /** Drops the database (and closes the pool `useAppDatabase` opened on it). */
  drop(): Promise<void>;
}

function testEnv() {
  const serverUrl = Deno.env.get("TEST_DATABASE_URL");
  const template = Deno.env.get("TEST_TEMPLATE_DB");
  if (!serverUrl || !template) {
    throw new Error("run the tests with `deno task test` (it starts PostgreSQL and sets TEST_DATABASE_URL)");
  }
  return { serverUrl, template };
}

/** Clones the template into a new database named after the caller. */
export async function createTestDatabase(label = "t"): Promise<TestDatabase> {
  const { serverUrl, template } = testEnv();
  const name = `${label.replace(/\W+/g, "_").slice(0, 30)}_${crypto.randomUUID().slice(0, 8)}`.toLowerCase();
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  // A template must have no other sessions while it is copied; retry briefly if a parallel file is cloning.
  for (let attempt = 0;; attempt++) {
    try {
      await admin.unsafe(`create database "${name}" template "${template}"`);
      break;
    } catch (error) {
      if (attempt > 50 || (error as { code?: string }).code !== "55006") throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    serverUrl,
    async drop() {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

/**
 * A fresh database with a pool of its own (`sql`), which the test hands to the code under test (and to
 * `startTestServer(env, { sql: db.sql }, { sql: db.sql })`): nothing is shared with the modules it imports.
 *
 * @example
 * const db = await useAppDatabase("applications");
 * await createApplication(db.sql, userId, input);
 * // ... tests ...
 * await db.drop();
 */
export async function useAppDatabase(label?: string): Promise<TestDatabase & { sql: Sql }> {
  const db = await createTestDatabase(label);
  const sql = createPool(db.url, { max: 5 });
  return {
    ...db,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      await db.drop();
    },
  };
}
