import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { SessionOut } from "@/core/account_schemas.ts";
import { requireUser } from "@/web/auth.ts";
import { listSessions } from "@/db/account.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "The account's active sessions (current: the one making this request)",
    auth: "user",
    response: z.object({ items: z.array(SessionOut) }),
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    return Response.json({ items: await listSessions(user.id, ctx.state.sessionId) }, {
      headers: { "cache-control": "no-store" },
    });
  },
};
