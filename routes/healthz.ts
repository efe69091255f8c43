import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { getHealth } from "@/db/health.ts";
import { replicaStatus } from "@/db/replicas.ts";

export const { handler, api } = defineRoute({
  GET: op({
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
    handler: async () => {
      const health = await getHealth();
      if (!health) {
        return Response.json({ ok: false, db: "down" }, { status: 503, headers: { "retry-after": "5" } });
      }
      const replicas = replicaStatus();
      return { ok: true, db: "up", migrations: health.migrations, ...(replicas.length ? { replicas } : {}) };
    },
  }),
});
