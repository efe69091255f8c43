import { defineRoute, op } from "@/web/define_route.ts";
import { HttpError } from "@/core/http_error.ts";
import { FunnelOut, FunnelQuery } from "@/core/funnel_schemas.ts";
import { funnelCsv } from "@/core/funnel_format.ts";
import { parseId } from "@/core/validate.ts";
import { getSequence } from "@/db/sequences.ts";
import { getSequenceFunnel } from "@/db/funnels.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "Per-step funnel of a sequence over a window (the caller's own sends); ?format=csv exports it",
    auth: "user",
    query: FunnelQuery,
    response: FunnelOut,
    before: (ctx) => void parseId(ctx.params.id, "sequence"),
    handler: async (ctx, { app, user, query }) => {
      const id = parseId(ctx.params.id, "sequence");
      if (!await getSequence(app.sql, user.id, id)) throw new HttpError(404, "sequence not found");
      const funnel = await getSequenceFunnel(app.sql, user.id, id, query.window);
      if (query.format === "csv") {
        return new Response(funnelCsv(funnel), {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="sequence-${id}-funnel-${query.window}.csv"`,
          },
        });
      }
      return funnel;
    },
  }),
});
