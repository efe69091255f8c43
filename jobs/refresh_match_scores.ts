import type { AppContext } from "@/services/app_context.ts";
import { refreshMatchScores as refresh } from "@/db/match_scores.ts";

/** `refresh-match-scores` (hourly): rebuilds the match_scores cache without blocking readers. */
export async function refreshMatchScores(_app: AppContext) {
  const { rows } = await refresh();
  return { rows, match_scores: rows };
}
