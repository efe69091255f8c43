import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { JobListOut, JobSearchQuery } from "@/core/job_schemas.ts";
import { cursorSort, decodeSearchCursor, encodeSearchCursor } from "@/core/search_cursor.ts";
import { parseQuery } from "@/core/validate.ts";
import { searchJobs } from "@/db/jobs.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { storableUrl } from "@/core/text_guard.ts";

export const api = defineApi({
  GET: {
    summary:
      "Search open jobs (title, company, skills, description; filters; best match or newest first; keyset pages both ways) with the caller's match",
    auth: "user",
    query: JobSearchQuery,
    response: JobListOut,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const { cursor, ...query } = parseQuery(storableUrl(ctx.url), api.GET.query);
    // A cursor says its own sort; without one, the query's (or the default) applies.
    const decoded = cursor ? decodeSearchCursor(cursor, query.sort ?? cursorSort(cursor)) : undefined;
    const page = await searchJobs(ctx.state.app.replicas, user.id, {
      ...query,
      sort: query.sort ?? decoded?.sort,
      cursor: decoded,
    });
    return Response.json({
      items: page.items,
      next_cursor: page.next ? encodeSearchCursor(page.next) : null,
      prev_cursor: page.prev ? encodeSearchCursor(page.prev) : null,
      count: page.count,
      sort: page.sort,
    });
  },
};
