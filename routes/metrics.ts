import { defineApi } from "../lib/api.ts";
import { requireAdmin } from "../lib/admin.ts";
import { guardAdminToken } from "../lib/admin_guard.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "../lib/metrics.ts";

import type { FreshContext } from "../fresh/types.ts";
import type { AppState } from "../lib/state.ts";

export const api = defineApi({
  GET: {
    summary: "This instance's metrics in the Prometheus text format (requests, latency, job runs, emails)",
    auth: "admin",
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    await guardAdminToken(ctx);
    requireAdmin(ctx.req);
    return new Response(renderMetrics(), {
      headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" },
    });
  },
};
