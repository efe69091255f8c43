import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { FunnelOut, FunnelQuery } from "@/core/funnel_schemas.ts";
import { funnelCsv } from "@/core/funnel_format.ts";
import { parseId, parseQuery } from "@/core/validate.ts";
import { getSequence } from "@/db/sequences.ts";
import { getSequenceFunnel } from "@/db/funnels.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "Per-step funnel of a sequence over a window (the caller's own sends); ?format=csv exports it",
    auth: "user",
    query: FunnelQuery,
    response: FunnelOut,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "sequence");
    const query = parseQuery(ctx.url, api.GET.query);
    if (!await getSequence(user.id, id)) throw new HttpError(404, "sequence not found");
    const funnel = await getSequenceFunnel(user.id, id, query.window);
    if (query.format === "csv") {
      return new Response(funnelCsv(funnel), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="sequence-${id}-funnel-${query.window}.csv"`,
        },
      });
    }
    return Response.json(funnel);
  },
};
