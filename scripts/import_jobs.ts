/**
 * `deno task import-jobs FILE`: bulk import of jobs from JSON Lines or CSV (see services/imports/job_import_file.ts for
 * the columns) into DATABASE_URL (or the embedded default), in batches of 500, with a progress bar on
 * stderr and a JSON summary on stdout. Bad rows are listed with their index and reason; the others go in.
 * Exit status: 0 when every row went in, 2 when some were rejected, 1 when the import could not run.
 */
import { ConfigError, loadConfig } from "@/fresh.config.ts";
import { createPool } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import { openDatabase } from "@/app/database.ts";
import { BATCH_SIZE, importJobs } from "@/services/imports/job_import.ts";
import { type FileRow, formatOf, readJobRows } from "@/services/imports/job_import_file.ts";
import type { ImportResult } from "@/db/job_imports.ts";

const path = Deno.args[0];
if (!path || Deno.args.length > 1) {
  console.error("usage: deno task import-jobs FILE   (FILE: .jsonl JSON Lines, or .csv with a header row)");
  Deno.exit(1);
}

const encoder = new TextEncoder();
function progress(done: number, total: number, rows: number): void {
  const ratio = total ? Math.min(1, done / total) : 1;
  const width = 30;
  const bar = "#".repeat(Math.round(ratio * width)).padEnd(width, "-");
  Deno.stderr.writeSync(encoder.encode(`\r[${bar}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${rows} rows`));
}

try {
  const file = await Deno.open(path, { read: true });
  const size = (await file.stat()).size;
  const config = loadConfig();
  const database = await openDatabase(config);
  const total: ImportResult = { inserted: 0, updated: 0, companies_created: 0, rejected: [] };
  let rows = 0;
  const started = performance.now();
  let closePool = async () => {};
  try {
    const pool = createPool(database.url, { max: 2, application: "roleferry-import" });
    closePool = () => pool.end({ timeout: 5 });
    await migrate(pool);
    let bytes = 0;
    let batch: FileRow[] = [];
    const seen = new Map<string, number>();
    const flush = async () => {
      const good = batch.filter((r): r is { index: number; raw: unknown } => "raw" in r);
      for (const bad of batch) {
        if ("error" in bad) total.rejected.push({ index: bad.index, error: bad.error });
      }
      // Rows of one batch are consecutive; their indexes are the file's, so pass each row's own.
      for (const run of consecutiveRuns(good)) {
        const result = await importJobs(pool, run.map((r) => r.raw), { firstIndex: run[0].index, seen });
        total.inserted += result.inserted;
        total.updated += result.updated;
        total.companies_created += result.companies_created;
        total.rejected.push(...result.rejected);
      }
      batch = [];
      progress(bytes, size, rows);
    };
    for await (const row of readJobRows(file.readable, formatOf(path), (n) => (bytes += n))) {
      rows++;
      batch.push(row);
      if (batch.length >= BATCH_SIZE) await flush();
    }
    await flush();
    // A bulk import leaves the title index's new entries in the GIN pending list, which every search scans
    // until a vacuum merges them: merge them now rather than waiting for autovacuum.
    if (total.inserted > BATCH_SIZE) await pool`vacuum (analyze) jobs`;
  } finally {
    await closePool();
    await database.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  total.rejected.sort((a, b) => a.index - b.index);
  console.error(
    `\n${rows} rows in ${seconds.toFixed(1)} s: ${total.inserted} inserted, ${total.updated} updated, ` +
      `${total.companies_created} companies created, ${total.rejected.length} rejected`,
  );
  console.log(JSON.stringify(total, null, 2));
  Deno.exit(total.rejected.length ? 2 : 0);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `import failed: ${(error as Error).message}`);
  Deno.exit(1);
}

/** Splits rows into runs of consecutive indexes (a bad JSON line leaves a gap). */
function consecutiveRuns<T extends { index: number }>(rows: T[]): T[][] {
  const runs: T[][] = [];
  for (const row of rows) {
    const run = runs.at(-1);
    if (run && run.at(-1)!.index + 1 === row.index) run.push(row);
    else runs.push([row]);
  }
  return runs;
}
