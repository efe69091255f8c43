/**
 * Rolling restart behind a load balancer, drilled: three app processes (crons on, firing every 3 s through
 * DENO_CRON_TEST_SCHEDULE_OFFSET) behind Debian's HAProxy with `/healthz` checks, under a steady bounded load
 * on loopback. Each process in turn gets SIGTERM (it stops accepting, finishes what is in flight, drains its
 * job runs, closes its pool), is started again on its port, and is back in rotation before the next one goes.
 * No request fails, and every job's minute ticks in the window ran exactly once, none left "running".
 *
 * HAProxy's part (deploy/haproxy.cfg): health checks every 200 ms take a stopped process out (three failed
 * checks: one slow answer on a busy machine must not take a healthy process out), and
 * `retry-on conn-failure empty-response` + `option redispatch` resend a request that met a closing
 * connection to another process (the load here is GETs; see docs/operations.md "Drills").
 */
import assert from "node:assert/strict";
import { type AppProcess, startApp } from "@/bench/app_process.ts";
import { freePort } from "@/bench/net.ts";
import { hasTool } from "@/scripts/system_tools.ts";
import { waitFor } from "@/scripts/pg_cluster.ts";
import { cronTick, JOB_NAMES } from "@/jobs/registry.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";

const HAPROXY = "/usr/sbin/haproxy";

/** The load balancer's configuration for `ports` (the same shape as deploy/haproxy.cfg). */
function haproxyConfig(listen: number, statsPort: number, ports: number[]): string {
  return `global
  maxconn 256
defaults
  mode http
  timeout connect 1s
  timeout client 10s
  timeout server 10s
  timeout http-keep-alive 2s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
  timeout check 2s
frontend stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
frontend web
  bind 127.0.0.1:${listen}
  default_backend app
backend app
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  default-server inter 200ms fall 3 rise 2
${ports.map((p, i) => `  server app${i + 1} 127.0.0.1:${p} check`).join("\n")}
`;
}

/** Each server's state as HAProxy sees it (its CSV statistics): `{app1: "UP", app2: "DOWN", ...}`. */
async function serverStates(statsPort: number): Promise<Record<string, string>> {
  const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
  const [header, ...rows] = csv.trim().split("\n");
  const columns = header.replace(/^# /, "").split(",");
  const status = columns.indexOf("status");
  return Object.fromEntries(
    rows.map((r) => r.split(",")).filter((c) => c[0] === "app" && c[1].startsWith("app")).map((
      c,
    ) => [c[1], c[status]]),
  );
}

Deno.test({
  name:
    "[e2e] rolling restart drill (HAProxy, 3 processes) - SIGTERM one by one: no failed request, ticks once",
  ignore: !hasTool(HAPROXY),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await useAppDatabase("rolling");
    const ports = [freePort(), freePort(), freePort()];
    const env = (port: number) => ({
      DATABASE_URL: db.url,
      ROLEFERRY_ENV: "test",
      ROLEFERRY_CRON: "on",
      DENO_CRON_TEST_SCHEDULE_OFFSET: "3000",
      PORT: String(port),
    });
    const apps: AppProcess[] = await Promise.all(ports.map((port) => startApp(env(port))));
    const listen = freePort();
    const statsPort = freePort();
    const cfg = await Deno.makeTempFile({ suffix: ".cfg" });
    await Deno.writeTextFile(cfg, haproxyConfig(listen, statsPort, ports));
    const check = await new Deno.Command(HAPROXY, {
      args: ["-c", "-f", cfg],
      stdout: "null",
      stderr: "piped",
    })
      .output();
    assert.ok(check.success, new TextDecoder().decode(check.stderr));
    const lb = new Deno.Command(HAPROXY, { args: ["-db", "-f", cfg], stdout: "null", stderr: "piped" })
      .spawn();
    const lbUrl = `http://127.0.0.1:${listen}`;
    const startedAt = new Date();
    try {
      // through the balancer once it is up
      for (let i = 0; i < 100; i++) {
        const ok = await fetch(`${lbUrl}/healthz`).then(async (r) => (await r.body?.cancel(), r.ok)).catch(
          () => false,
        );
        if (ok) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const { token } = await createUserWithToken(lbUrl, { sql: db.sql });
      const statuses: { status: number; path: string; at: number; detail?: string }[] = [];
      let running = true;
      const paths = ["/api/me", "/api/jobs?limit=5", "/healthz", "/api/companies?q=a"];
      const load = Array.from({ length: 4 }, async (_, w) => {
        while (running) {
          const path = paths[w % paths.length];
          try {
            const res = await fetch(lbUrl + path, { headers: { authorization: `Bearer ${token}` } });
            const body = await res.text();
            statuses.push({
              status: res.status,
              path,
              at: Date.now(),
              detail: res.ok ? undefined : body.slice(0, 200),
            });
          } catch (error) {
            statuses.push({ status: 0, path, at: Date.now(), detail: String(error) });
          }
          await new Promise((r) => setTimeout(r, 15)); // bounded: four clients, a few hundred requests a second at most
        }
      });
      const loadStarted = Date.now();
      await new Promise((r) => setTimeout(r, 1000));
      const drains: number[] = [];
      for (const [i, port] of ports.entries()) {
        const stopping = performance.now();
        await apps[i].stop(15_000); // SIGTERM, graceful
        drains.push(performance.now() - stopping);
        apps[i] = await startApp(env(port));
        // back in rotation (two passed health checks) before the next one goes
        await waitFor(
          `app${i + 1} UP in HAProxy`,
          async () => (await serverStates(statsPort))[`app${i + 1}`] === "UP",
        );
      }
      // the crons fire every 3 s: keep the window long enough for each to fire on the restarted processes
      await new Promise((r) => setTimeout(r, Math.max(500, loadStarted + 10_000 - Date.now())));
      running = false;
      await Promise.all(load);

      const failed = statuses.filter((s) => s.status !== 200);
      console.log(
        `rolling restart: ${statuses.length} requests through HAProxy, ${failed.length} failed; SIGTERM to exit ` +
          drains.map((d) => `${d.toFixed(0)} ms`).join(", "),
      );
      assert.deepEqual(
        failed.slice(0, 5).map((s) => `${s.path} ${s.status} ${s.detail}`),
        [],
        "no failed request",
      );
      assert.ok(statuses.length > 200, `steady load (${statuses.length} requests)`);
    } finally {
      await Promise.all(apps.map((a) => a.stop()));
      lb.kill("SIGTERM");
      await lb.status;
      await Deno.remove(cfg).catch(() => {});
    }
    // every job: one row per minute tick since the start, each ok on its first attempt, none left running
    const runs = await db.sql<{ job: string; tick: Date; outcome: string; attempts: number }[]>`
      select job, tick, outcome, attempts from job_runs where trigger = 'cron' order by job, tick`;
    const firstTick = cronTick(startedAt.getTime()).getTime(); // the registry's tick: the nearest minute
    const lastTick = cronTick().getTime();
    for (const name of JOB_NAMES) {
      const mine = runs.filter((r) =>
        r.job === name && r.tick.getTime() >= firstTick && r.tick.getTime() <= lastTick
      );
      assert.ok(mine.length >= 1, `${name} ran in the window`);
      assert.deepEqual(
        mine.filter((r) => r.outcome !== "ok" || r.attempts !== 1),
        [],
        `${name}: once per tick`,
      );
    }
    assert.deepEqual(runs.filter((r) => r.outcome === "running"), [], "no run left running by a SIGTERM");
    await db.drop();
  },
});
