/**
 * The benchmark database: one per scale on the bench PostgreSQL, migrated and
 * generated once, then reused by later runs with the same scale and seed
 * (generating full scale takes minutes); migrations added since are applied
 * on top of the data, and a changed migration forces a new generation.
 */
import postgres from "postgres";
import { migrate } from "@/db/migrate.ts";
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
 * the scale or seed differ from what it was made with.
 */
export async function prepareBenchDatabase(
  pg: BenchPostgres,
  options: { scale: number; seed: number; fresh?: boolean; log?: (line: string) => void },
): Promise<BenchDatabase> {
  const log = options.log ?? (() => {});
  const name = databaseName(options.scale);
  const url = pg.urlFor(name);
  const admin = postgres(pg.urlFor("postgres"), { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (exists && !options.fresh) {
      const db = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const meta = await generatedMeta(db);
        if (meta && meta.scale === options.scale && meta.seed === options.seed) {
          // Migrations added since: applied on top of the data, as in production. A changed one: regenerate.
          const { applied } = await migrate(db);
          log(
            `reusing ${name} (generated earlier${applied.length ? `; applied ${applied.join(", ")}` : ""})`,
          );
          return { name, url, counts: meta.counts, generatedSeconds: 0 };
        }
      } catch (error) {
        log(`regenerating ${name}: ${(error as Error).message.split("\n")[0]}`);
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
