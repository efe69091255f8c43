import type { AppContext } from "@/services/app_context.ts";
import { deleteExpiredJobs, EXPIRED_JOB_GRACE_DAYS } from "@/db/maintenance.ts";

/**
 * `expire-jobs` (hourly at :30): deletes postings expired more than
 * EXPIRED_JOB_GRACE_DAYS ago that nobody applied to, in batches, until none is
 * left. Listing already hides expired jobs; this only keeps the table small.
 */
export async function expireJobs(app: AppContext) {
  let deleted = 0;
  for (let batch = 0; batch < 100; batch++) {
    const n = await deleteExpiredJobs(app.sql);
    deleted += n;
    if (n === 0) break;
  }
  return { rows: deleted, deleted, grace_days: EXPIRED_JOB_GRACE_DAYS };
}
