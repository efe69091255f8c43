/**
 * The rows of a job list (search, best match): the job with its company and the columns the match score
 * reads, and the list item each becomes. Shared by db/jobs.ts (newest first) and db/job_match_rank.ts (best
 * match first).
 */
import type { Frag, Sql, Tx } from "./client.ts";
import { matchJobColumns, type MatchJobRow } from "./match_scores.ts";
import type { Match } from "@/core/match.ts";

export interface JobListItem {
  id: number;
  title: string;
  company: { id: number; name: string; domain: string | null };
  location: string | null;
  remote: boolean;
  comp_min: number | null;
  comp_max: number | null;
  posted_date: Date | null;
  match: { score: number; category: string };
}

/** A job row of a list: `matchJobColumns`, the company, and the posting date as sortable text. */
export type SearchRow = MatchJobRow & {
  id: number;
  company_id: number;
  company_name: string;
  company_domain: string | null;
  posted_date: Date | null;
  posted_key: string | null;
};

/** The list item of a row and its match: what `GET /api/jobs` answers for each job. */
export function listItem(r: SearchRow, match: Match): JobListItem {
  return {
    id: r.id,
    title: r.title,
    company: { id: r.company_id, name: r.company_name, domain: r.company_domain },
    location: r.location,
    remote: r.remote ?? false,
    comp_min: r.comp_min,
    comp_max: r.comp_max,
    posted_date: r.posted_date,
    match: { score: match.score, category: match.category },
  };
}

/** The rows (with their companies and match columns) of these job ids. */
export function rowsOf(tx: Sql | Tx, ids: Frag): Promise<SearchRow[]> {
  return tx<SearchRow[]>`
    select j.id, j.posted_date, j.posted_date::text as posted_key, c.id as company_id,
           c.name as company_name, c.domain as company_domain, ${matchJobColumns(tx)}
    from (${ids}) p join jobs j on j.id = p.id join companies c on c.id = j.company_id`;
}
