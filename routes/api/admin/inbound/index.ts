import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { InboundOut, InboundQuery } from "@/core/outreach_schemas.ts";
import { listInbound } from "@/db/inbound_messages.ts";

const InboundAdminOut = InboundOut.extend({
  reasons: z.array(z.string()),
  stripped_text: z.string().nullable(),
  raw_headers: z.array(z.tuple([z.string(), z.string()])),
});

export const { handler, api } = defineRoute({
  GET: op({
    summary:
      "Inbound mail as classified (human, auto_reply, bounce, other), newest first, with what it matched " +
      "and what was done; `matched=false` lists the mail kept for review",
    auth: "admin",
    query: InboundQuery,
    response: z.object({ items: z.array(InboundAdminOut) }),
    handler: async (_ctx, { app, query }) => ({ items: await listInbound(app.sql, query) }),
  }),
});
