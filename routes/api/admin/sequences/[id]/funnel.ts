import { defineRoute, op } from "@/web/define_route.ts";
import { FunnelOut, FunnelQuery } from "@/core/funnel_schemas.ts";
import { funnelCsv } from "@/core/funnel_format.ts";
import { parseId } from "@/core/validate.ts";
import { getTemplateFunnel } from "@/db/funnels.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "Per-step funnel of a template across every user (admin aggregate)",
    auth: "admin",
    query: FunnelQuery,
    response: FunnelOut,
    before: (ctx) => void parseId(ctx.params.id, "sequence"),
    handler: async (ctx, { app, query }) => {
      const funnel = await getTemplateFunnel(app.sql, parseId(ctx.params.id, "sequence"), query.window);
      if (query.format === "csv") {
        return new Response(funnelCsv(funnel), { headers: { "content-type": "text/csv; charset=utf-8" } });
      }
      return funnel;
    },
  }),
});
