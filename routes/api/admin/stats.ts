import { defineApi } from "@/web/api.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import { getStats } from "@/db/stats.ts";

import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary:
      "Operations overview: slowest statements (pg_stat_statements), connections by state, the outreach queue, " +
      "mailbox health, the latest run of each job, outreach partitions",
    auth: "admin",
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.state.app, ctx.req);
    return Response.json(await getStats(), { headers: { "cache-control": "no-store" } });
  },
};
