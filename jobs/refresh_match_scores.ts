import type { Sql } from "@/db/client.ts";
import { refreshMatchScores as refresh } from "@/db/match_scores.ts";
import { refreshCandidateTables } from "@/services/matching/candidates.ts";

/**
 * `refresh-match-scores` (hourly): rebuilds the match_scores cache without blocking readers, then brings the
 * users' best-match tables up to date (services/matching/candidates.ts): the queued rebuilds after profile
 * changes first, then the jobs imported, edited or expired since, within most of the job's lease.
 */
export async function refreshMatchScores(sql: Sql) {
  const { rows } = await refresh(sql);
  const candidates = await refreshCandidateTables(sql, { budgetMs: 45 * 60_000 });
  return { rows, match_scores: rows, candidate_tables: candidates };
}
