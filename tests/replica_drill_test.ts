/**
 * Read replicas, drilled on Debian PostgreSQL 15: a primary and a streaming standby (`pg_basebackup -R`),
 * the app as its own process with `DATABASE_URL` on the primary and `DATABASE_REPLICA_URL` on the standby.
 * Searches are served by the standby (its pg_stat_statements count them); a user's own write is visible to
 * their next search even though the standby is held two seconds behind (`recovery_min_apply_delay`);
 * stopping the standby under search load gives no user an error, and /healthz reports it down. A lagging
 * replica is skipped (checked in this process against the same clusters).
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { createPool, type Sql } from "@/db/client.ts";
import { createReplicas, type Replicas } from "@/db/replicas.ts";
import { APP_ENV, startApp } from "@/bench/app_process.ts";
import { hasTool } from "@/scripts/system_tools.ts";
import {
  drillDir,
  HAS_STATEMENTS,
  PG15,
  startPrimaryWithSchema,
  startStandby,
  waitFor,
} from "@/scripts/pg_cluster.ts";
import { api } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";

Deno.test({
  name:
    "[e2e] read replica drill (PostgreSQL 15) - searches on the standby, read-your-writes, standby loss unseen",
  ignore: !hasTool(`${PG15}/pg_basebackup`),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await drillDir("roleferry-replica-");
    const { primary, owner } = await startPrimaryWithSchema(dir);
    const [company] = await owner`
      insert into companies (name, domain) values ('Replica Co', 'replica.test') returning id`;
    const [other] =
      await owner`insert into companies (name, domain) values ('Other Co', 'other.test') returning id`;
    await owner`
      insert into jobs (source, title, company_id, posted_date)
      select 'drill', 'Engineer ' || g, case when g % 2 = 0 then ${company.id}::int else ${other.id}::int end,
             current_date - g
      from generate_series(1, 40) g`;
    // held 2 s behind: a read that must see the user's own write can only get it from the primary
    const standby = await startStandby(dir, primary, { settings: { recovery_min_apply_delay: "2s" } });
    const replica = postgres(standby.url("roleferry"), { max: 1, onnotice: () => {} });
    const app = await startApp({
      DATABASE_URL: primary.url("roleferry"),
      DATABASE_REPLICA_URL: standby.url("roleferry"),
      ROLEFERRY_ENV: "test",
    });
    let primaryPool: Sql | undefined;
    let replicas: Replicas | undefined;
    try {
      await waitFor(
        "the standby to have the jobs",
        async () => (await replica`select count(*)::int as n from jobs`)[0].n === 40,
      );
      // the app is another process: this one holds no pool to mark the address verified (not needed here)
      const { token } = await createUserWithToken(app.url, { verified: false });
      await waitFor("healthz to show the standby up", async () => {
        const health = await api(app.url, "GET", "/healthz");
        return health.status === 200 && health.body.replicas?.[0]?.state === "up";
      });

      // 1. searches are served by the standby, once it has replayed the sign-up and the resume (best-match
      //    ranking runs there too)
      const resume = await api(app.url, "PUT", "/api/resume", {
        token,
        body: { roles: ["Engineer"], key_metrics: [], accomplishments: [], skills: ["sql"] },
      });
      assert.equal(resume.status, 200, JSON.stringify(resume.body));
      if (HAS_STATEMENTS) await replica`select pg_stat_statements_reset()`;
      await new Promise((r) => setTimeout(r, 3500)); // the writes' WAL, 2 s delayed, then one check
      for (let i = 0; i < 10; i++) {
        const res = await api(app.url, "GET", `/api/jobs?limit=10&sort=${i % 2 ? "match" : "date"}`, {
          token,
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.items.length, 10);
      }
      if (HAS_STATEMENTS) {
        const [served] = await replica`
          select coalesce(sum(calls), 0)::int as calls from pg_stat_statements
          where query ilike '%from jobs%' and query ilike '%expires_at%'`;
        assert.ok(served.calls >= 10, `the standby ran the searches (${served.calls} job statements)`);
      } else {
        console.log(
          "pg_stat_statements is not installed: the standby's share is judged by its connections only",
        );
      }
      const onReplica = await replica`
        select count(*)::int as n from pg_stat_activity where application_name = 'roleferry-replica'`;
      assert.ok(onReplica[0].n >= 1, "the app holds connections to the standby");

      // 2. read-your-writes: hide a company, and the very next search leaves it out
      const saved = await api(app.url, "PUT", "/api/preferences", {
        token,
        body: { hidden_companies: [company.id] },
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const [stale] = await replica`select count(*)::int as n from job_preferences`;
      assert.equal(stale.n, 0, "the standby has not applied the write yet (2 s delay)");
      const after = await api(app.url, "GET", "/api/jobs?limit=50", { token });
      assert.equal(after.status, 200);
      assert.equal(after.body.items.length, 20);
      assert.ok(after.body.items.every((j: { company: { id: number } }) => j.company.id === other.id));

      // 3. the standby stops under search load: every answer is still 200
      await new Promise((r) => setTimeout(r, 3500)); // back on the standby
      const statuses: number[] = [];
      let running = true;
      const load = Array.from({ length: 4 }, async () => {
        while (running) {
          const res = await fetch(`${app.url}/api/jobs?limit=5`, {
            headers: { authorization: `Bearer ${token}` },
          });
          await res.body?.cancel();
          statuses.push(res.status);
          await new Promise((r) => setTimeout(r, 10));
        }
      });
      await new Promise((r) => setTimeout(r, 700));
      const beforeStop = statuses.length;
      await standby.stop("fast");
      await new Promise((r) => setTimeout(r, 1500));
      running = false;
      await Promise.all(load);
      const counts = Object.groupBy(statuses, (s) => String(s));
      const summary = Object.entries(counts).map(([k, v]) => `${k}: ${v?.length}`).join(", ");
      console.log(
        `searches: ${beforeStop} before the standby stopped, ${
          statuses.length - beforeStop
        } after (${summary})`,
      );
      assert.ok(statuses.length - beforeStop > 20, "requests were made after the stop");
      assert.deepEqual(Object.keys(counts), ["200"], "no user saw an error");
      const health = await api(app.url, "GET", "/healthz");
      assert.equal(health.status, 200, "the primary is up: the app is healthy");
      assert.equal(health.body.replicas[0].state, "down");
      assert.equal(health.body.replicas[0].name, `127.0.0.1:${standby.port}/roleferry`);
      const metrics = await fetch(`${app.url}/metrics`, {
        headers: { authorization: `Bearer ${APP_ENV.ROLEFERRY_ADMIN_TOKEN}` },
      });
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /roleferry_replica_up\{replica="127\.0\.0\.1:\d+\/roleferry"\} 0/);

      // 4. a lagging replica is skipped: limit 0.5 s, standby 2 s behind while the primary writes
      await standby.start();
      primaryPool = createPool(primary.url("roleferry"), { max: 2 });
      replicas = createReplicas(primaryPool);
      await replicas.connect([standby.url("roleferry")], { maxLagS: 0.5, checkEveryMs: 100 });
      await owner`insert into companies (name, domain) values ('Fresh Co', 'fresh.test')`;
      await waitFor(
        "the standby to count as lagging",
        () => Promise.resolve(replicas!.status()[0].state === "lagging"),
      );
      const found = await replicas.readSql((db) =>
        db`select count(*)::int as n from companies where domain = 'fresh.test'`
      );
      assert.equal(found[0].n, 1, "while the replica lags, reads come from the primary");
      await waitFor("the standby to catch up", () => Promise.resolve(replicas!.status()[0].state === "up"));
    } finally {
      await replicas?.disconnect();
      await primaryPool?.end();
      await app.stop();
      await replica.end();
      await owner.end();
      await standby.remove();
      await primary.remove();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
