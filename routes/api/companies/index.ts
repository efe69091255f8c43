import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { searchCompanies } from "@/db/companies.ts";
import { readSql } from "@/db/replicas.ts";

export const { handler, api } = defineRoute({
  GET: op({
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
    // A replica when one is fresh enough (db/replicas.ts).
    handler: async (_ctx, { query: { q } }) => ({
      items: await readSql((db) => searchCompanies(db, q || undefined)),
    }),
  }),
});
