import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { SessionOut } from "@/core/account_schemas.ts";
import { listSessions } from "@/db/account.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "The account's active sessions (current: the one making this request)",
    auth: "user",
    response: z.object({ items: z.array(SessionOut) }),
    handler: async (ctx, { app, user }) =>
      Response.json({ items: await listSessions(app.sql, user.id, ctx.state.sessionId) }, {
        headers: { "cache-control": "no-store" },
      }),
  }),
});
