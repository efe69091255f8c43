import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { getHealth } from "@/db/health.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "Liveness and database status",
    auth: "none",
    response: z.object({
      ok: z.literal(true),
      db: z.literal("up"),
      migrations: z.number().int(),
      replicas: z.array(z.object({
        name: z.string().describe("host:port/database"),
        state: z.enum(["up", "lagging", "down"]).describe(
          "lagging and down replicas are skipped: reads use the primary",
        ),
        lag_s: z.number().nullable(),
        error: z.string().optional(),
      })).optional().describe("only when DATABASE_REPLICA_URL is set"),
    }),
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const { app } = ctx.state;
    const health = await getHealth(app.sql);
    if (!health) {
      return Response.json({ ok: false, db: "down" }, { status: 503, headers: { "retry-after": "5" } });
    }
    const replicas = app.replicas.status();
    return Response.json({
      ok: true,
      db: "up",
      migrations: health.migrations,
      ...(replicas.length ? { replicas } : {}),
    });
  },
};
