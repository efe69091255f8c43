import type { Sql } from "@/db/client.ts";
import { refreshMatchScores as refresh } from "@/db/match_scores.ts";

/** `refresh-match-scores` (hourly): rebuilds the match_scores cache without blocking readers. */
export async function refreshMatchScores(sql: Sql) {
  const { rows } = await refresh(sql);
  return { rows, match_scores: rows };
}
