/**
 * The real app on a random port, in this test process, against the database
 * that `useAppDatabase()` connected. Real HTTP: tests talk to it with fetch.
 */
import { loadConfig, resolveSecret, setConfig } from "@/fresh.config.ts";
import { createWebApp } from "@/app/server.ts";
import { setReady } from "@/app/lifecycle.ts";
import { createAppContext } from "@/app/context.ts";
import type { AppContext } from "@/services/app_context.ts";
import { type Sql, sql as currentPool } from "@/db/client.ts";
import { startWorldDns } from "./dns_server.ts";

export interface TestServer {
  url: string;
  /** The app context the server runs with (to wait for its background mail: `settleSystemMail(server.app)`). */
  app: AppContext;
  close(): Promise<void>;
}

/** Test defaults: outbox transport, a fixed secret and admin token, no cron. Override any variable. */
export const TEST_ENV: Record<string, string> = {
  ROLEFERRY_ENV: "test",
  ROLEFERRY_SECRET: "test-secret-test-secret-test-secret-0123456789",
  ROLEFERRY_ADMIN_TOKEN: "test-admin-token-0123456789",
  ROLEFERRY_CRON: "off",
  MAIL_TRANSPORT: "outbox",
  HOSTNAME: "127.0.0.1",
  PORT: "0",
};

export async function startTestServer(
  env: Record<string, string> = {},
  options: { sql?: Sql } = {},
): Promise<TestServer> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  // address verification asks DNS: a local fake world unless the test brings its own zones
  const dns = env.ROLEFERRY_DNS ? undefined : await startWorldDns();
  const config = setConfig(
    loadConfig({ ...TEST_ENV, PORT: String(port), ...(dns ? { ROLEFERRY_DNS: dns.address } : {}), ...env }),
  );
  await resolveSecret(config);
  setReady();
  const app = createAppContext(config, options.sql ?? currentPool);
  const fetch = await createWebApp(app);
  const server = Deno.serve(
    { port, hostname: "127.0.0.1", onListen: () => {} },
    (req, info) => fetch(req, info),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    close: async () => {
      await server.shutdown();
      app.passwords.close(); // the context's bcrypt workers
      await dns?.close();
    },
  };
}

export interface ApiAnswer {
  status: number;
  type: string | null;
  // deno-lint-ignore no-explicit-any
  body: any;
  headers: Headers;
}

/** Fetch with JSON in and out, for brevity in tests. */
export async function api(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] ??= "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(base + path, {
    method,
    headers,
    body: options.body === undefined
      ? undefined
      : typeof options.body === "string"
      ? options.body
      : JSON.stringify(options.body),
    redirect: "manual",
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch { /* not JSON: keep the text */ }
  return { status: res.status, type: res.headers.get("content-type"), body, headers: res.headers };
}
