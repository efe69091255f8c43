import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { SuggestionOut, SuggestQuery } from "@/core/deliverability/schemas.ts";
import { suggestContactAddresses } from "@/services/deliverability/contact_checks.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "Proposed addresses for a name at a company domain, ranked by how many known contacts there " +
      "follow each pattern (common patterns without evidence), each with its verification",
    auth: "user",
    query: SuggestQuery,
    response: z.object({ items: z.array(SuggestionOut) }),
    handler: async (_ctx, { app, user, query }) => ({
      items: await suggestContactAddresses(app, user.id, query.full_name, query.domain),
    }),
  }),
});
