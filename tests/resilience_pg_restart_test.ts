/**
 * PostgreSQL restarted under API load: while it is down the app answers 503
 * (JSON, never a 5xx of another kind, never a dropped connection), and once
 * it is back the same app process answers 200 again without a restart.
 *
 * It needs a PostgreSQL it may stop, so it starts its own (bench/pg.ts) rather
 * than the shared test server, and runs the app as a separate process.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { CONNECT_TIMEOUT_S } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import { startApp } from "@/bench/app_process.ts";
import { startBenchPostgres } from "@/bench/pg.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";

interface Sample {
  /** When the answer arrived. */
  at: number;
  /** When the request was sent. */
  sent: number;
  body?: string;
  path: string;
  status: number;
  type: string | null;
}

Deno.test("[e2e] PostgreSQL restart under load - 503 only while down, recovery without restarting the app", async () => {
  const dir = await Deno.makeTempDir({ prefix: "roleferry-pg-restart-" });
  const pg = await startBenchPostgres({ dir, throwaway: true });
  const url = pg.urlFor("postgres");
  const owner = postgres(url, { max: 1, onnotice: () => {} });
  await migrate(owner);
  await owner.end();
  const app = await startApp({ DATABASE_URL: url, ROLEFERRY_ENV: "test" });
  try {
    const { token } = await createUserWithToken(app.url, { verified: false });
    const samples: Sample[] = [];
    let running = true;
    const load = Array.from({ length: 8 }, async (_, worker) => {
      while (running) {
        const path = worker % 2 ? "/api/me" : "/healthz";
        const sent = performance.now();
        try {
          const res = await fetch(app.url + path, { headers: { authorization: `Bearer ${token}` } });
          const body = await res.text();
          samples.push({
            at: performance.now(),
            sent,
            path,
            status: res.status,
            type: res.headers.get("content-type"),
            body: res.status === 200 ? undefined : body.slice(0, 300),
          });
        } catch (error) {
          // the app dropped the connection
          samples.push({ at: performance.now(), sent, path, status: 0, type: null, body: String(error) });
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    let downAt = 0, stoppedAt = 0, restartAt = 0, upAt = 0;
    try {
      await new Promise((r) => setTimeout(r, 1000));
      downAt = performance.now();
      await pg.stop();
      stoppedAt = performance.now();
      await new Promise((r) => setTimeout(r, 2000));
      restartAt = performance.now();
      await pg.start();
      upAt = performance.now();
      await new Promise((r) => setTimeout(r, 4000));
    } finally {
      running = false;
      await Promise.all(load);
    }

    const before = samples.filter((s) => s.at < downAt);
    // Sent after the stop completed (a request sent before it may have had its answer before the stop and be
    // read late by this busy process: seen once beside five CPU-burning loops), answered before the restart.
    const down = samples.filter((s) => s.sent > stoppedAt && s.at < restartAt);
    // By send time: a request sent while PostgreSQL was still starting may wait out the connect timeout
    // (postgres.js reconnects without a limit when the server closes a connection during its startup,
    // porsager/postgres#1193) and answer 503 long after; a request sent once it is up must not.
    const settled = samples.filter((s) => s.sent > upAt + 2000);
    const statuses = (list: Sample[]) => [...new Set(list.map((s) => s.status))].sort();

    const summary = (list: Sample[]) =>
      Object.entries(Object.groupBy(list, (s) => String(s.status))).map(([k, v]) => `${k}: ${v?.length}`)
        .join(", ");
    console.log(
      `before ${summary(before)} | stopping ${
        summary(samples.filter((s) => s.at >= downAt && s.at <= stoppedAt))
      }` +
        ` | down ${summary(down)} | restarting ${
          summary(samples.filter((s) => s.at >= restartAt && s.at <= upAt + 2000))
        }` +
        ` | settled ${summary(settled)} | app exited: ${app.hasExited()} ${app.stderrTail()}`,
    );
    const odd = samples.filter((s) => s.status !== 200 && s.status !== 503);
    assert.deepEqual(
      odd.map((s) =>
        `${(s.at - downAt).toFixed(0)} ms after the stop: ${s.path} ${s.status} ${s.body?.slice(0, 120)}`
      )
        .slice(0, 8),
      [],
      "no other status at any time (also while the shutdown cuts queries in flight), no dropped connection",
    );
    const slow = samples.filter((s) => s.at - s.sent > (CONNECT_TIMEOUT_S + 3) * 1000).map((s) =>
      `${s.path} ${s.status} waited ${(s.at - s.sent).toFixed(0)} ms`
    );
    assert.deepEqual(slow.slice(0, 8), [], "no request waits much past the connect timeout");
    assert.deepEqual(statuses(before), [200], "before the stop every answer is 200");
    assert.ok(down.length > 20, `requests were made while PostgreSQL was down (${down.length})`);
    assert.deepEqual(statuses(down), [503], "while PostgreSQL is down every answer is 503");
    assert.ok(down.every((s) => s.type?.startsWith("application/json")), "the 503s are JSON errors");
    assert.ok(settled.length > 20, `requests were made after the restart (${settled.length})`);
    const late = settled.filter((s) => s.status !== 200).map((s) =>
      `${s.path} ${s.status} sent ${(s.sent - upAt).toFixed(0)} ms, answered ${
        (s.at - upAt).toFixed(0)
      } ms after the restart`
    );
    assert.deepEqual(late.slice(0, 8), [], "two seconds after the restart every answer is 200 again");
    const [me] = [await fetch(`${app.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })];
    assert.equal(me.status, 200);
    assert.match(me.headers.get("content-type") ?? "", /application\/json/);
    assert.ok((await me.json()).email, "the same session still works: the app process was never restarted");
  } finally {
    await app.stop();
    await pg.close();
  }
});
