import type { AppContext } from "@/services/app_context.ts";
import { endIdleConnections as endIdle, IDLE_CONNECTION_MINUTES } from "@/db/maintenance.ts";

/**
 * `end-idle-connections` (every 10 minutes): ends connections to the database
 * idle for more than 10 minutes (data-architecture.md 9.2), which would
 * otherwise hold server slots that PgBouncer or another instance needs.
 */
export async function endIdleConnections(app: AppContext) {
  const ended = await endIdle(app.sql, IDLE_CONNECTION_MINUTES);
  return { rows: ended, ended, idle_minutes: IDLE_CONNECTION_MINUTES };
}
