/**
 * Where the database comes from: `DATABASE_URL`, or the embedded PostgreSQL in
 * the data dir (loaded by dynamic import only when needed, so Deno Deploy never
 * loads it).
 */
import type { Config } from "@/fresh.config.ts";

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function openDatabase(config: Config): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  const { startEmbedded } = await import("@/db/embedded.ts");
  const db = await startEmbedded({ dir: config.dataDir });
  return { url: db.url, embedded: true, stop: db.stop };
}
