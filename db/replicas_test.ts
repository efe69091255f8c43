/**
 * The replica routing's pure parts: WAL positions, the lag measure, names shown by /healthz, the URL list,
 * and connection strings postgres.js accepts but `new URL()` does not (multi-host). The routing itself runs
 * against a real primary and standby in tests/replica_drill_test.ts.
 */
import assert from "node:assert/strict";
import { createReplicas, describeUrl, lagSeconds, parseLsn } from "./replicas.ts";
import { freePort } from "@/bench/net.ts";
import { createPool, withoutParam } from "./client.ts";
import { loadConfig, splitReplicaUrls } from "@/fresh.config.ts";

Deno.test("parseLsn - PostgreSQL's hi/lo hex form as one number, ordered like the WAL", () => {
  assert.equal(parseLsn("0/0"), 0n);
  assert.equal(parseLsn("16/B374D848"), 0x16B374D848n);
  assert.ok(parseLsn("1/0") > parseLsn("0/FFFFFFFF"));
  assert.throws(() => parseLsn("16B374D848"), /not an LSN/);
});

Deno.test("lagSeconds - how long ago the primary was first seen past the replayed position", () => {
  const samples = [{ at: 1_000, lsn: 100n }, { at: 2_000, lsn: 200n }, { at: 3_000, lsn: 300n }];
  assert.equal(lagSeconds(samples, 300n, 3_500), 0, "replayed everything: no lag, however old the write");
  assert.equal(lagSeconds(samples, 350n, 3_500), 0, "ahead of the last sample");
  assert.equal(lagSeconds(samples, 250n, 3_500), 0.5, "missing what the primary had at 3.0 s");
  assert.equal(lagSeconds(samples, 150n, 3_500), 1.5);
  assert.equal(lagSeconds(samples, 50n, 3_500), 2.5, "behind every sample: at least as old as the oldest");
  assert.equal(lagSeconds([], 0n, 3_500), 0);
});

Deno.test("describeUrl - host, port and database without credentials or parameters", () => {
  assert.equal(
    describeUrl("postgres://app:secret@db-2.internal:5433/roleferry?sslmode=require"),
    "db-2.internal:5433/roleferry",
  );
  assert.equal(describeUrl("postgresql://replica/roleferry"), "replica/roleferry");
});

Deno.test("splitReplicaUrls - commas separate replicas, not the hosts of a multi-host URL", () => {
  assert.deepEqual(splitReplicaUrls(undefined), []);
  assert.deepEqual(splitReplicaUrls(" "), []);
  assert.deepEqual(splitReplicaUrls("postgres://a/db, postgres://b:5433/db"), [
    "postgres://a/db",
    "postgres://b:5433/db",
  ]);
  assert.deepEqual(
    splitReplicaUrls("postgres://u@h1:5432,h2:5432/db?target_session_attrs=standby,postgresql://c/db"),
    [
      "postgres://u@h1:5432,h2:5432/db?target_session_attrs=standby",
      "postgresql://c/db",
    ],
  );
});

Deno.test("loadConfig - DATABASE_REPLICA_URL and DATABASE_REPLICA_MAX_LAG_S, bad values named", () => {
  const config = loadConfig({
    DATABASE_REPLICA_URL: "postgres://a/db,postgres://b/db",
    DATABASE_REPLICA_MAX_LAG_S: "2.5",
  });
  assert.deepEqual(config.replicaUrls, ["postgres://a/db", "postgres://b/db"]);
  assert.equal(config.replicaMaxLagS, 2.5);
  assert.deepEqual(loadConfig({}).replicaUrls, []);
  assert.equal(loadConfig({}).replicaMaxLagS, 5);
  assert.throws(
    () => loadConfig({ DATABASE_REPLICA_URL: "mysql://a/db" }),
    /DATABASE_REPLICA_URL must be one or more/,
  );
  assert.throws(
    () => loadConfig({ DATABASE_REPLICA_MAX_LAG_S: "-1" }),
    /DATABASE_REPLICA_MAX_LAG_S must be a positive/,
  );
});

Deno.test("withoutParam - drops one query parameter, also from a multi-host connection string", () => {
  assert.equal(withoutParam("postgres://u@h/db?pgbouncer=true", "pgbouncer"), "postgres://u@h/db");
  assert.equal(
    withoutParam("postgres://u@h1:5432,h2:5432/db?pgbouncer=true&target_session_attrs=primary", "pgbouncer"),
    "postgres://u@h1:5432,h2:5432/db?target_session_attrs=primary",
  );
  assert.equal(withoutParam("postgres://u@h/db", "pgbouncer"), "postgres://u@h/db");
});

// a pool on nothing: postgres.js connects lazily, and these checks never query the primary successfully
const primary = () => createPool(`postgres://nobody@127.0.0.1:${freePort()}/none`, { max: 1 });

Deno.test("withReadContext - without replicas it only runs the handler; /healthz lists none", async () => {
  const pool = primary();
  const replicas = createReplicas(pool);
  assert.equal(replicas.withReadContext("GET", "0/1", () => 42), 42);
  assert.deepEqual(replicas.status(), []);
  assert.equal(replicas.primary, pool);
  await pool.end();
});

Deno.test({
  name:
    "connectReplicas - a replica that does not answer is down in /healthz and /metrics, without credentials",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const port = freePort(); // nothing listens there
    const pool = primary();
    const replicas = createReplicas(pool);
    const other = createReplicas(pool);
    await replicas.connect([`postgres://reader:s3cret@127.0.0.1:${port}/roleferry`], {
      checkEveryMs: 60_000,
    });
    try {
      assert.deepEqual(other.status(), [], "another app's replicas are its own");
      const [status] = replicas.status();
      assert.equal(status.name, `127.0.0.1:${port}/roleferry`);
      assert.equal(status.state, "down");
      assert.equal(status.lag_s, null);
      assert.ok(status.error, "says why");
      const metrics = replicas.renderMetrics();
      assert.match(
        metrics,
        new RegExp(`roleferry_replica_up\\{replica="127.0.0.1:${port}/roleferry"\\} 0\\n`),
      );
      assert.doesNotMatch(metrics, /roleferry_replica_lag_seconds\{/, "no lag while it does not answer");
      assert.doesNotMatch(JSON.stringify(status) + metrics, /s3cret/);
    } finally {
      await replicas.disconnect();
      await pool.end();
    }
    assert.equal(replicas.renderMetrics(), "");
  },
});
