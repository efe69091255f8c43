import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { parseQuery } from "@/core/validate.ts";
import { searchCompanies } from "@/db/companies.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { storableUrl } from "@/core/text_guard.ts";

export const api = defineApi({
  GET: {
    summary: "Companies whose name looks like q (trigram similarity)",
    auth: "user",
    query: z.strictObject({ q: z.string().trim().max(255, "must be at most 255 characters").optional() }),
    response: z.object({
      items: z.array(z.object({
        id: z.number(),
        name: z.string(),
        domain: z.string().nullable(),
        size: z.string().nullable(),
        industry: z.string().nullable(),
      })),
    }),
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    await requireUser(ctx);
    const { q } = parseQuery(storableUrl(ctx.url), api.GET.query);
    return Response.json({ items: await searchCompanies(ctx.state.app.replicas, q || undefined) });
  },
};
