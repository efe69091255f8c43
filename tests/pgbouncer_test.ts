/**
 * [e2e] The app through PgBouncer in transaction mode (acceptance criterion
 * "Connection pooling configured"): Debian's pgbouncer runs with the [pgbouncer]
 * settings of deploy/pgbouncer.ini (pool_mode = transaction; only addresses,
 * paths and the pool size are changed for the test) in front of the test
 * PostgreSQL, and the real app serves requests through it.
 */
import assert from "node:assert/strict";
import { createPool, type Sql } from "@/db/client.ts";
import { hasTool } from "@/scripts/system_tools.ts";
import { runJob } from "@/jobs/registry.ts";
import { testAppOn } from "@/tests/helpers/app.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { killJobMidRun, untilOk } from "@/tests/helpers/killed_job.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";

const PGBOUNCER = "/usr/sbin/pgbouncer";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** deploy/pgbouncer.ini with the test's addresses and paths, the pool settings kept. */
async function testIni(dir: string, pgPort: number, port: number): Promise<string> {
  const text = await Deno.readTextFile(new URL("../deploy/pgbouncer.ini", import.meta.url));
  const overrides: Record<string, string> = {
    listen_addr: "127.0.0.1",
    listen_port: String(port),
    unix_socket_dir: "",
    auth_file: `${dir}/userlist.txt`,
    logfile: `${dir}/pgbouncer.log`,
    pidfile: `${dir}/pgbouncer.pid`,
    admin_users: "postgres",
    stats_users: "postgres",
    default_pool_size: "3", // fewer server connections than concurrent requests: they must share
  };
  let section = "";
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    const header = /^\[(\w+)\]/.exec(line);
    if (header) {
      section = header[1];
      lines.push(line);
      if (section === "databases") lines.push(`* = host=127.0.0.1 port=${pgPort}`);
      continue;
    }
    if (section === "databases") continue;
    const setting = /^(\w+)\s*=/.exec(line);
    if (setting && setting[1] in overrides) lines.push(`${setting[1]} = ${overrides[setting[1]]}`);
    else lines.push(line);
  }
  return lines.join("\n");
}

Deno.test({
  name: "[e2e] PgBouncer (transaction pooling) - the app serves signed-in users and runs jobs through it",
  ignore: !hasTool(PGBOUNCER),
  async fn() {
    const db = await useAppDatabase("pgbouncer");
    const dir = await Deno.makeTempDir({ prefix: "pgbouncer-" });
    await Deno.chmod(dir, 0o777);
    const target = new URL(db.url);
    const port = freePort();
    await Deno.writeTextFile(`${dir}/pgbouncer.ini`, await testIni(dir, Number(target.port), port));
    await Deno.writeTextFile(
      `${dir}/userlist.txt`,
      `"${decodeURIComponent(target.username)}" "${decodeURIComponent(target.password)}"\n`,
    );
    // pgbouncer refuses to run as root; Debian's postgres user runs it.
    const asRoot = Deno.uid() === 0;
    const child = new Deno.Command(asRoot ? "runuser" : PGBOUNCER, {
      args: asRoot ? ["-u", "postgres", "--", PGBOUNCER, `${dir}/pgbouncer.ini`] : [`${dir}/pgbouncer.ini`],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const server = { close: async () => {} };
    let sql: Sql | undefined; // the app's pool, through PgBouncer
    try {
      for (let i = 0; i < 100; i++) {
        try {
          (await Deno.connect({ hostname: "127.0.0.1", port })).close();
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      const pooled = new URL(db.url);
      pooled.port = String(port);
      pooled.searchParams.set("pgbouncer", "true");
      sql = createPool(pooled.toString(), { max: 8 });
      const jobs = await testAppOn({ url: pooled.toString(), sql });
      const app = await startTestServer({}, { sql });
      server.close = app.close;

      // two users, many concurrent requests sharing 3 server connections: nobody sees the other's data
      const tokens: string[] = [];
      for (const who of ["pool-a", "pool-b"]) {
        const res = await api(app.url, "POST", "/api/auth/signup", {
          body: { email: `${who}@test.io`, password: "correct horse battery", full_name: who },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.match(res.type ?? "", /^application\/json/);
        tokens.push(res.body.token);
      }
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => api(app.url, "GET", "/api/me", { token: tokens[i % 2] })),
      );
      for (const [i, res] of answers.entries()) {
        assert.equal(res.status, 200);
        assert.match(res.type ?? "", /^application\/json/);
        assert.equal(res.body.email, `pool-${i % 2 ? "b" : "a"}@test.io`);
      }

      // the job claims (transaction-level advisory locks) work through the pooler, once per tick
      const tick = new Date("2030-03-01T00:00:00Z");
      const runs = await Promise.all(
        [1, 2, 3].map(() => runJob(jobs, "calculate-health", { trigger: "cron", tick })),
      );
      assert.deepEqual(runs.map((r) => r.outcome).sort(), ["ok", "skipped", "skipped"]);
      // a run SIGKILLed mid-way, its run lock held through the pooler: taken over at once, not after the
      // lease (PgBouncer ends the server connection of a client that left inside a transaction)
      await killJobMidRun(sql, pooled.toString(), async () => {
        const blocked = await runJob(jobs, "expire-jobs");
        assert.equal(blocked.reason, "running", "a live run blocks through the pooler too");
      });
      const takenOver = await untilOk(() => runJob(jobs, "expire-jobs"), 5000);
      assert.equal(takenOver.outcome, "ok", JSON.stringify(takenOver));
      const stats = await api(app.url, "GET", "/api/admin/stats", { token: TEST_ENV.ROLEFERRY_ADMIN_TOKEN });
      assert.equal(stats.status, 200);

      // and it really went through PgBouncer: its log shows the logins to this database; no named statements
      const log = await Deno.readTextFile(`${dir}/pgbouncer.log`);
      assert.match(log, new RegExp(`login attempt: db=${db.name} user=`));
      const [{ prepared }] = await sql`select count(*)::int as prepared from pg_prepared_statements`;
      assert.equal(prepared, 0);
    } finally {
      await server.close();
      await sql?.end({ timeout: 5 });
      child.kill("SIGTERM");
      const status = await child.status;
      const stderr = new TextDecoder().decode(
        (await child.stderr.getReader().read()).value ?? new Uint8Array(),
      );
      if (!status.success && status.signal !== "SIGTERM") console.error(stderr);
      await db.drop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
