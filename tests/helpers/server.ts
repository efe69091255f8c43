/**
 * The real app on a random port, in this test process, on the pool the test hands it (`db.sql` of
 * `useAppDatabase()`). Real HTTP: tests talk to it with fetch.
 */
import { loadConfig, resolveSecret } from "@/fresh.config.ts";
import { createWebApp } from "@/app/server.ts";
import { createAppContext } from "@/app/context.ts";
import type { AppContext } from "@/services/app_context.ts";
import type { Sql } from "@/db/client.ts";
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

/**
 * The servers this test file runs, by URL, so that `createUserWithToken(server.url)` (tests/helpers/users.ts)
 * reaches the server's pool. Test helper state: one test file per process (or worker).
 */
const running = new Map<string, TestServer>();

/** The test server of this process listening at `url`, if any. */
export function testServerAt(url: string): TestServer | undefined {
  return running.get(url);
}

export async function startTestServer(
  env: Record<string, string>,
  options: { sql: Sql },
): Promise<TestServer> {
  // Listening first, on a port the system picks, and keeping it: a port found free and then bound later
  // could be taken in between by a test file running in parallel. The app answers once it is built, before
  // anyone knows the URL.
  let fetch: Awaited<ReturnType<typeof createWebApp>> | undefined;
  let app: AppContext | undefined;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req, info) => fetch!(req, info),
  );
  const { port } = server.addr as Deno.NetAddr;
  // address verification asks DNS: a local fake world unless the test brings its own zones
  const dns = env.ROLEFERRY_DNS ? undefined : await startWorldDns();
  try {
    const config = loadConfig({
      ...TEST_ENV,
      PORT: String(port),
      ...(dns ? { ROLEFERRY_DNS: dns.address } : {}),
      ...env,
    });
    await resolveSecret(config);
    app = createAppContext(config, options.sql);
    fetch = await createWebApp(app);
  } catch (error) {
    await server.shutdown();
    app?.passwords.close();
    await dns?.close();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  const started: TestServer = {
    url,
    app,
    close: async () => {
      running.delete(url);
      await server.shutdown();
      app?.passwords.close(); // the context's bcrypt workers
      await dns?.close();
    },
  };
  running.set(url, started);
  return started;
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
