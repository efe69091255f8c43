import { defineApi } from "@/web/api.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import { FunnelOut, FunnelQuery } from "@/core/funnel_schemas.ts";
import { funnelCsv } from "@/core/funnel_format.ts";
import { parseId, parseQuery } from "@/core/validate.ts";
import { getTemplateFunnel } from "@/db/funnels.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "Per-step funnel of a template across every user (admin aggregate)",
    auth: "admin",
    query: FunnelQuery,
    response: FunnelOut,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.state.app, ctx.req);
    const id = parseId(ctx.params.id, "sequence");
    const query = parseQuery(ctx.url, api.GET.query);
    const funnel = await getTemplateFunnel(id, query.window);
    if (query.format === "csv") {
      return new Response(funnelCsv(funnel), { headers: { "content-type": "text/csv; charset=utf-8" } });
    }
    return Response.json(funnel);
  },
};
