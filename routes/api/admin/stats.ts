import { defineRoute, op } from "@/web/define_route.ts";
import { getStats } from "@/db/stats.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary:
      "Operations overview: slowest statements (pg_stat_statements), connections by state, the outreach queue, " +
      "mailbox health, the latest run of each job, outreach partitions",
    auth: "admin",
    handler: async (_ctx, { app }) =>
      Response.json(await getStats(app.sql, app.replicas), { headers: { "cache-control": "no-store" } }),
  }),
});
