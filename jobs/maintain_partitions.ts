import type { AppContext } from "@/services/app_context.ts";
import { maintainOutreachPartitions } from "@/db/partitions.ts";

/** How many months of outreach partitions exist ahead of the current one (pg_partman's premake). */
export const MONTHS_AHEAD = 3;

/**
 * `maintain-partitions` (daily, 01:00 UTC): outreach partitions through three
 * months ahead; rows that fell into the DEFAULT partition move to their month.
 * Idempotent: a second run creates nothing.
 */
export async function maintainPartitions(app: AppContext) {
  const created = await maintainOutreachPartitions(app.sql, MONTHS_AHEAD);
  const moved = created.reduce((sum, p) => sum + p.rows_moved, 0);
  return { rows: created.length + moved, created: created.map((p) => p.partition_name), rows_moved: moved };
}
