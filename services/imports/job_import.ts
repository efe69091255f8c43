/**
 * The job import: the batching that lets good rows in while each bad one is rejected with its index and
 * reason, for the admin API (`POST /api/admin/jobs/import`) and the `deno task import-jobs` script. Rows
 * are checked by core/job_import_schemas.ts and written by db/job_imports.ts.
 */
import type { Sql } from "@/db/client.ts";
import { type ImportJobRow, validateJobRow } from "@/core/job_import_schemas.ts";
import { importJobBatch, type ImportResult } from "@/db/job_imports.ts";

export const BATCH_SIZE = 500;

/**
 * Imports `rows` (raw objects) in batches of {@link BATCH_SIZE}; `firstIndex` numbers them when the
 * caller streams a big file. Calls `onProgress(done)` after each batch.
 */
export async function importJobs(
  sql: Sql,
  rows: unknown[],
  options: {
    firstIndex?: number;
    onProgress?: (done: number) => void;
    /** external_id → index of the rows imported so far (a streaming caller passes the same map each time). */
    seen?: Map<string, number>;
  } = {},
): Promise<ImportResult> {
  const total: ImportResult = { inserted: 0, updated: 0, companies_created: 0, rejected: [] };
  const first = options.firstIndex ?? 0;
  const seen = options.seen ?? new Map<string, number>();
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    const valid: { index: number; row: ImportJobRow }[] = [];
    rows.slice(start, start + BATCH_SIZE).forEach((raw, offset) => {
      const index = first + start + offset;
      const result = validateJobRow(raw);
      if ("error" in result) return total.rejected.push({ index, error: result.error });
      const earlier = seen.get(result.row.external_id);
      if (earlier !== undefined) {
        return total.rejected.push({ index, error: `external_id: repeats row ${earlier} of this import` });
      }
      seen.set(result.row.external_id, index);
      valid.push({ index, row: result.row });
    });
    const batch = await importJobBatch(sql, valid);
    total.inserted += batch.inserted;
    total.updated += batch.updated;
    total.companies_created += batch.companies_created;
    total.rejected.push(...batch.rejected);
    options.onProgress?.(Math.min(rows.length, start + BATCH_SIZE));
  }
  total.rejected.sort((a, b) => a.index - b.index);
  return total;
}
