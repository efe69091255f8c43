import { z } from "zod";
import { defineApi } from "../lib/api.ts";
import { getHealth } from "../db/health.ts";

export const api = defineApi({
  GET: {
    summary: "Liveness and database status",
    auth: "none",
    response: z.object({ ok: z.literal(true), db: z.literal("up"), migrations: z.number().int() }),
  },
});

export const handler = {
  async GET() {
    const health = await getHealth();
    if (!health) {
      return Response.json({ ok: false, db: "down" }, { status: 503, headers: { "retry-after": "5" } });
    }
    return Response.json({ ok: true, db: "up", migrations: health.migrations });
  },
};
