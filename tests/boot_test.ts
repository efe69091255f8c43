/**
 * The service as an operator runs it: `main.ts` as a real process on its own
 * embedded PostgreSQL data dir, started, restarted on the same data, and stopped.
 */
import assert from "node:assert/strict";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function startMain(env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    env: { ROLEFERRY_CRON: "off", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function waitForHealth(url: string, timeoutMs = 60_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return res;
      await res.body?.cancel();
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url}/healthz did not answer 200 within ${timeoutMs} ms`);
}

function postgresRunning(dataDir: string): boolean {
  try {
    const pid = Number(Deno.readTextFileSync(`${dataDir}/pg/postmaster.pid`).split("\n")[0]);
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "[e2e] main.ts - starts on an embedded database, keeps it across restarts, stops cleanly",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dataDir = await Deno.makeTempDir({ prefix: "roleferry-boot-" });
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { ROLEFERRY_DATA_DIR: dataDir, PORT: String(port), ROLEFERRY_ENV: "development" };
    try {
      await t.step("first start: /healthz answers 200 with the migration count", async () => {
        const child = startMain(env);
        const res = await waitForHealth(url);
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
        const body = await res.json();
        assert.equal(body.ok, true);
        assert.equal(body.db, "up");
        assert.ok(body.migrations >= 2);
        assert.ok(res.headers.get("x-request-id"));
        child.kill("SIGTERM");
        const status = await child.status;
        await child.stdout.cancel();
        await child.stderr.cancel();
        assert.equal(status.code, 0);
        assert.equal(postgresRunning(dataDir), false, "SIGTERM stops the embedded PostgreSQL");
      });

      await t.step("second start on the same data dir: same data, demo users kept", async () => {
        const child = startMain(env);
        await waitForHealth(url);
        const login = await fetch(`${url}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "test_js@roleferry.com", password: "roleferry-demo-2026" }),
        });
        assert.equal(login.status, 200);
        assert.equal((await login.json()).user.email, "test_js@roleferry.com");
        child.kill("SIGINT");
        assert.equal((await child.status).code, 0);
        await child.stdout.cancel();
        await child.stderr.cancel();
      });
    } finally {
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test("[e2e] main.ts - bad configuration stops the start with one line naming the variable", async () => {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    env: { PORT: "not-a-port", ROLEFERRY_CRON: "off" },
  }).output();
  assert.equal(code, 1);
  const lines = new TextDecoder().decode(stderr).trim().split("\n");
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^invalid configuration: PORT /);
});
