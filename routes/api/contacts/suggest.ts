import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { SuggestionOut, SuggestQuery } from "@/core/deliverability/schemas.ts";
import { suggestContactAddresses } from "@/services/deliverability/contact_checks.ts";
import { parseQuery } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "Proposed addresses for a name at a company domain, ranked by how many known contacts there " +
      "follow each pattern (common patterns without evidence), each with its verification",
    auth: "user",
    query: SuggestQuery,
    response: z.object({ items: z.array(SuggestionOut) }),
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const { full_name, domain } = parseQuery(new URL(ctx.req.url), api.GET.query);
    return Response.json({ items: await suggestContactAddresses(user.id, full_name, domain) });
  },
};
