/**
 * The benchmark database: one per scale on the bench PostgreSQL, migrated and
 * generated once, then reused by later runs while the migrations and the
 * generator settings are unchanged (generating full scale takes minutes).
 */
import postgres from "postgres";
import { readMigrations } from "../db/migrate.ts";
import { migrate } from "../db/migrate.ts";
import { type Counts, generate, generatedMeta } from "./generate.ts";
import type { BenchPostgres } from "./pg.ts";

export interface BenchDatabase {
  name: string;
  url: string;
  counts: Counts;
  /** Seconds spent generating in this run (0 when reused). */
  generatedSeconds: number;
}

/** Name of the database for a scale (`bench_0_001`). */
export function databaseName(scale: number): string {
  return `bench_${String(scale).replace(/\W/g, "_")}`;
}

/**
 * Returns a migrated, generated database for `scale`, regenerating it when
 * the migrations or the seed differ from what it was made with.
 */
export async function prepareBenchDatabase(
  pg: BenchPostgres,
  options: { scale: number; seed: number; fresh?: boolean; log?: (line: string) => void },
): Promise<BenchDatabase> {
  const log = options.log ?? (() => {});
  const name = databaseName(options.scale);
  const url = pg.urlFor(name);
  const migrations = await readMigrations();
  const admin = postgres(pg.urlFor("postgres"), { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (exists && !options.fresh) {
      const db = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const meta = await generatedMeta(db);
        const [{ checksums }] =
          await db`select coalesce(string_agg(checksum, ',' order by version), '') as checksums
                                       from schema_migrations`.catch(() => [{ checksums: "" }]);
        const current = migrations.map((m) => m.checksum).join(",");
        if (meta && meta.scale === options.scale && meta.seed === options.seed && checksums === current) {
          log(`reusing ${name} (generated earlier, ${migrations.length} migrations)`);
          return { name, url, counts: meta.counts, generatedSeconds: 0 };
        }
      } finally {
        await db.end();
      }
    }
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const owner = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(owner);
  } finally {
    await owner.end();
  }
  const started = performance.now();
  const counts = await generate(url, { scale: options.scale, seed: options.seed, log });
  return { name, url, counts, generatedSeconds: (performance.now() - started) / 1000 };
}
