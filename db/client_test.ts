import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startWireProxy } from "@/tests/helpers/pg_wire.ts";
import { createPool, pipelineAsUser, withUser } from "./client.ts";

const db = await useAppDatabase("client");
const proxy = startWireProxy(db.url);
// One connection: what it has prepared is reused, as in a warm pool.
const pool = createPool(proxy.url, { max: 1 });

const [alice, bob] = await db.sql<{ id: number }[]>`
  insert into users (email, hashed_password, full_name)
  values ('alice@client.test', 'x', 'Alice'), ('bob@client.test', 'x', 'Bob') returning id`;
await db
  .sql`insert into resumes (user_id, skills) values (${alice.id}::int, '["Go"]'), (${bob.id}::int, '["Rust"]')`;

const probe = (userId: number) =>
  pipelineAsUser(pool, userId, (tx) =>
    [
      tx<{ who: string; uid: string }[]>`
        select current_user as who, current_setting('app.current_user_id') as uid`,
      tx<{ user_id: number; skills: string[] }[]>`select user_id, skills from resumes order by user_id`,
    ] as const);

Deno.test("pipelineAsUser - one round trip for BEGIN, the context, the statements and COMMIT, under row-level security", async () => {
  await probe(alice.id); // the connection prepares the statements once
  const before = proxy.counts();
  const [[ctx], resumes] = await probe(alice.id);
  const after = proxy.counts();
  assert.deepEqual({ who: ctx.who, uid: ctx.uid }, { who: "app_user", uid: String(alice.id) });
  assert.deepEqual(resumes.map((r) => r.user_id), [alice.id], "bob's resume is hidden");
  assert.equal(after.statements - before.statements, 5, "begin, context, two statements, commit");
  assert.equal(after.roundTrips - before.roundTrips, 1);
  // withUser, for comparison: a round trip per statement (once prepared: the first run of a parameterised
  // statement on a connection is described first, one round trip more, which the proxy sees too).
  const twoSelects = () =>
    withUser(pool, bob.id, async (tx) => {
      await tx`select 1`;
      await tx`select 2`;
    });
  const cold = proxy.counts();
  await twoSelects();
  const warm = proxy.counts();
  await twoSelects();
  assert.equal(warm.roundTrips - cold.roundTrips, 6, "cold: the set_config described first");
  assert.equal(proxy.counts().roundTrips - warm.roundTrips, 5);
});

Deno.test("pipelineAsUser - the context ends with the transaction: nothing is left on the connection", async () => {
  await probe(bob.id);
  const [after] = await pool<{ who: string; uid: string | null }[]>`
    select current_user as who, current_setting('app.current_user_id', true) as uid`;
  assert.notEqual(after.who, "app_user");
  assert.ok(!after.uid, `no user id left: ${after.uid}`);
});

Deno.test("pipelineAsUser - a failing statement rolls the whole batch back and throws its own error", async () => {
  await assert.rejects(
    pipelineAsUser(pool, alice.id, (tx) =>
      [
        tx`update resumes set skills = '["Changed"]' where user_id = ${alice.id}::int`,
        tx`select 1 / 0`,
        tx`select 1`,
      ] as const),
    /division by zero/,
  );
  const [row] = await db.sql<
    { skills: string[] }[]
  >`select skills from resumes where user_id = ${alice.id}::int`;
  assert.deepEqual(row.skills, ["Go"]);
  // The connection is usable afterwards, outside any transaction.
  const [ctx] = (await probe(alice.id))[0];
  assert.equal(ctx.who, "app_user");
});

Deno.test("pipelineAsUser - refuses a bad user id before sending anything", async () => {
  const before = proxy.counts();
  await assert.rejects(pipelineAsUser(pool, 0, (tx) => [tx`select 1`] as const), /bad user id/);
  assert.deepEqual(proxy.counts(), before);
});

Deno.test("pipelineAsUser - without named prepared statements (behind PgBouncer): the same answers, in one transaction", async () => {
  const bouncer = new URL(proxy.url);
  bouncer.searchParams.set("pgbouncer", "true");
  const unprepared = createPool(bouncer.toString(), { max: 1 });
  try {
    const [[ctx], resumes] = await pipelineAsUser(unprepared, bob.id, (tx) =>
      [
        tx<{ who: string; uid: string; xid: string }[]>`
          select current_user as who, current_setting('app.current_user_id') as uid,
                 txid_current_if_assigned()::text as xid`,
        tx<{ user_id: number }[]>`select user_id from resumes`,
      ] as const);
    assert.deepEqual({ who: ctx.who, uid: ctx.uid }, { who: "app_user", uid: String(bob.id) });
    assert.deepEqual(resumes.map((r) => r.user_id), [bob.id]);
    // postgres.js describes each parameterised statement first without prepared statements: more round
    // trips, the same single transaction.
    const [after] = await unprepared<{ uid: string | null }[]>`
      select current_setting('app.current_user_id', true) as uid`;
    assert.ok(!after.uid);
  } finally {
    await unprepared.end({ timeout: 5 });
  }
});

Deno.test("client - teardown", async () => {
  await pool.end({ timeout: 5 });
  await proxy.close();
  await db.drop();
});
