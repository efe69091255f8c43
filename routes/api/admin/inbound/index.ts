import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import { InboundOut } from "@/core/outreach_schemas.ts";
import { parseQuery } from "@/core/validate.ts";
import { listInbound } from "@/db/inbound_messages.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const InboundQuery = z.object({
  kind: InboundOut.shape.kind.optional(),
  matched: z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const InboundAdminOut = InboundOut.extend({
  reasons: z.array(z.string()),
  stripped_text: z.string().nullable(),
  raw_headers: z.array(z.tuple([z.string(), z.string()])),
});

export const api = defineApi({
  GET: {
    summary:
      "Inbound mail as classified (human, auto_reply, bounce, other), newest first, with what it matched " +
      "and what was done; `matched=false` lists the mail kept for review",
    auth: "admin",
    query: InboundQuery,
    response: z.object({ items: z.array(InboundAdminOut) }),
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.state.app, ctx.req);
    const query = parseQuery(new URL(ctx.req.url), InboundQuery);
    return Response.json({ items: await listInbound(query) });
  },
};
