import { defineApi } from "@/web/api.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import { guardAdminToken } from "@/web/admin_guard.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "@/core/metrics.ts";
import { renderReplicaMetrics } from "@/db/replicas.ts";

import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "This instance's metrics in the Prometheus text format (requests, latency, job runs, emails)",
    auth: "admin",
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    await guardAdminToken(ctx);
    requireAdmin(ctx.state.app, ctx.req);
    return new Response(renderMetrics() + renderReplicaMetrics(), {
      headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" },
    });
  },
};
