import { defineApi } from "../../../lib/api.ts";
import { requireUser } from "../../../lib/auth.ts";
import { decodeCursor, encodeCursor, JobListOut, JobSearchQuery } from "../../../lib/job_schemas.ts";
import { parseQuery } from "../../../lib/validate.ts";
import { searchJobs } from "../../../db/jobs.ts";
import type { FreshContext } from "../../../fresh/types.ts";
import type { AppState } from "../../../lib/state.ts";
import { storableUrl } from "../../../lib/text_guard.ts";

export const api = defineApi({
  GET: {
    summary: "Search open jobs (full text on title, filters, keyset pagination) with the caller's match",
    auth: "user",
    query: JobSearchQuery,
    response: JobListOut,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const { cursor, ...query } = parseQuery(storableUrl(ctx.url), api.GET.query);
    const page = await searchJobs(user.id, { ...query, after: cursor ? decodeCursor(cursor) : undefined });
    return Response.json({ items: page.items, next_cursor: page.last ? encodeCursor(page.last) : null });
  },
};
