import { defineRoute, op } from "@/web/define_route.ts";
import { JobListOut, JobSearchQuery } from "@/core/job_schemas.ts";
import { cursorSort, decodeSearchCursor, encodeSearchCursor } from "@/core/search_cursor.ts";
import { searchJobs } from "@/db/jobs.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary:
      "Search open jobs (title, company, skills, description; filters; best match or newest first; keyset pages both ways) with the caller's match",
    auth: "user",
    query: JobSearchQuery,
    response: JobListOut,
    handler: async (ctx, { app, user, query: { cursor, ...query } }) => {
      // A cursor says its own sort; without one, the query's (or the default) applies.
      const decoded = cursor ? decodeSearchCursor(cursor, query.sort ?? cursorSort(cursor)) : undefined;
      // The pools' inputs the session lookup read: the search's first round trip can carry the pools too.
      const pool = ctx.state.matchPool ?? undefined;
      const search = { ...query, sort: query.sort ?? decoded?.sort, cursor: decoded, pool };
      // A replica when one is fresh enough (db/replicas.ts).
      const page = await app.replicas.readSql((db) => searchJobs(db, user.id, search));
      return {
        items: page.items,
        next_cursor: page.next ? encodeSearchCursor(page.next) : null,
        prev_cursor: page.prev ? encodeSearchCursor(page.prev) : null,
        count: page.count,
        sort: page.sort,
      };
    },
  }),
});
