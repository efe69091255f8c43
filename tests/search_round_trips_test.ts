/**
 * GET /api/jobs talks to PostgreSQL in at most two round trips (issue 15): the session lookup, then one
 * pipelined transaction with the user's context, profile, count and page. Counted on the wire by a proxy
 * between the app's pool and PostgreSQL (tests/helpers/pg_wire.ts), with row-level security and the
 * session's refusals checked on the same path.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { startWireProxy } from "@/tests/helpers/pg_wire.ts";
import { createPool } from "@/db/client.ts";
import { refreshCandidates } from "@/services/matching/candidates.ts";

const db = await useAppDatabase("search_round_trips");
const proxy = startWireProxy(db.url);
// One connection: each statement is prepared on it once, as on every connection of a warm pool.
const pool = createPool(proxy.url, { max: 1 });
const server = await startTestServer({}, { sql: pool });
const admin = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };

const titles = [
  "Backend Engineer",
  "Senior Data Engineer",
  "Registered Nurse",
  "Product Designer",
  "Data Analyst",
];
const imported = await api(server.url, "POST", "/api/admin/jobs/import", {
  headers: admin,
  body: {
    jobs: Array.from({ length: 60 }, (_, n) => ({
      external_id: `rt-${n}`,
      source: "test",
      title: titles[n % titles.length],
      company: { name: `Company ${n % 6}`, domain: `c${n % 6}.test`, size: "51-200", industry: "Fintech" },
      location: n % 2 ? "Berlin, Germany" : "Remote",
      remote: n % 2 === 0,
      description: "Python, PostgreSQL and Kubernetes on a small team.",
      comp_min: 90000 + 1000 * n,
      comp_max: 120000 + 1000 * n,
      posted_date: `2026-10-${String((n % 28) + 1).padStart(2, "0")}T12:00:00Z`,
    })),
  },
});
assert.equal(imported.status, 200);

// Alice has no resume (newest first); Bob has one and a best-match table (best match from the table).
const alice = await createUserWithToken(server.url);
const bob = await createUserWithToken(server.url);
const put = async (token: string, path: string, body: unknown) =>
  assert.equal((await api(server.url, "PUT", path, { token, body })).status, 200, path);
await put(bob.token, "/api/resume", {
  roles: ["Backend Engineer"],
  skills: ["Python", "PostgreSQL", "Kubernetes"],
});
await refreshCandidates(db.sql, bob.user.id);

/** Counts of one request, after the same request once (the connection prepares its statements). */
async function measure(token: string, path: string) {
  await api(server.url, "GET", path, { token });
  const before = proxy.counts();
  const res = await api(server.url, "GET", path, { token });
  const after = proxy.counts();
  return {
    status: res.status,
    body: res.body as { items: { id: number; title: string; company: { id: number } }[]; sort: string },
    statements: after.statements - before.statements,
    roundTrips: after.roundTrips - before.roundTrips,
  };
}

const shapes = [
  "/api/jobs?limit=20",
  "/api/jobs?q=engineer&limit=20",
  "/api/jobs?q=senior%20data&remote=true&limit=20",
  "/api/jobs?q=backend&location=Berlin&comp_min=100000&limit=20",
  "/api/jobs?posted_after=2026-10-10&comp_min=100000&limit=20",
  "/api/jobs?company_id=1&limit=20",
  "/api/jobs?sort=date&limit=5",
];

Deno.test("[e2e] GET /api/jobs - newest first: two round trips (session, then one pipelined transaction) for every shape", async () => {
  for (const path of shapes) {
    const m = await measure(alice.token, path);
    assert.equal(m.status, 200, path);
    assert.equal(m.roundTrips, 2, `${path}: ${m.roundTrips} round trips`);
    assert.ok(m.statements <= 10, `${path}: ${m.statements} statements`);
  }
  // Best match asked for, with no profile saved (no pool inputs kept): the pools, one round more.
  assert.equal((await measure(alice.token, "/api/jobs?sort=match&limit=5")).roundTrips, 3);
});

Deno.test("[e2e] GET /api/jobs - best match: two round trips from the table, from the pools, and a third only without kept pool inputs", async () => {
  const ids = (m: { body: { items: { id: number }[] } }) => m.body.items.map((i) => i.id);
  const fromTable = await measure(bob.token, "/api/jobs?limit=5");
  assert.equal(fromTable.body.sort, "match");
  assert.equal(fromTable.roundTrips, 2);
  // A stale table (the profile changed): the pools rank the search, read in the first round with the inputs
  // the save kept (migration 0098), which the session lookup reads.
  await put(bob.token, "/api/resume", { roles: ["Backend Engineer"], skills: ["Python", "Kubernetes"] });
  const fromPools = await measure(bob.token, "/api/jobs?limit=5");
  assert.equal(fromPools.body.sort, "match");
  assert.equal(fromPools.roundTrips, 2);
  assert.equal(fromPools.body.items.length, 5);
  // Inputs not kept (a profile saved before migration 0098): the same page, one round more with the profile.
  await db
    .sql`update match_candidate_state set pool_skills = null, pool_roles = null where user_id = ${bob.user.id}::int`;
  const withProfile = await measure(bob.token, "/api/jobs?limit=5");
  assert.equal(withProfile.roundTrips, 3);
  assert.deepEqual(ids(withProfile), ids(fromPools));
  // A rebuild for the unchanged profile keeps them again.
  await refreshCandidates(db.sql, bob.user.id);
  const [state] = await db.sql<{ pool_skills: string[] | null; pool_roles: string | null }[]>`
    select pool_skills, pool_roles from match_candidate_state where user_id = ${bob.user.id}::int`;
  assert.deepEqual(state, {
    pool_skills: ["Python", "Kubernetes"],
    pool_roles: "'backend':A | 'engineer':A",
  });
  // A filter the table holds too few of: the pools, still two round trips.
  const rare = await measure(bob.token, "/api/jobs?q=nurse&limit=5");
  assert.equal(rare.roundTrips, 2);
  assert.ok(rare.body.items.every((i) => i.title === "Registered Nurse"));
});

Deno.test("[e2e] GET /api/jobs - the pipelined search stays under row-level security: another user's private job and hidden companies", async () => {
  // A job private to Bob (a recruiter's own role) and a company Alice hides.
  const [priv] = await db.sql<{ id: number }[]>`
    update jobs set owner_user_id = ${bob.user.id}::int where external_id = 'rt-0' returning id`;
  const [{ company_id: hidden }] = await db.sql<{ company_id: number }[]>`
    select company_id from jobs where external_id = 'rt-1'`;
  await put(alice.token, "/api/preferences", { hidden_companies: [hidden] });
  for (const path of ["/api/jobs?sort=date&limit=100", "/api/jobs?sort=match&limit=100"]) {
    const mine = await measure(alice.token, path);
    assert.equal(mine.status, 200);
    assert.ok(mine.body.items.length > 0);
    assert.ok(!mine.body.items.some((i) => i.id === priv.id), `${path}: Bob's private job`);
    assert.ok(!mine.body.items.some((i) => i.company.id === hidden), `${path}: Alice's hidden company`);
    // Bob's preferences hide nothing: Alice's hidden company is his to see.
    const his = await measure(bob.token, path);
    assert.ok(his.body.items.some((i) => i.company.id === hidden), `${path}: Bob sees the company`);
    assert.ok(!his.body.items.some((i) => i.id === priv.id), `${path}: a private job is not in the search`);
  }
  // The profile read is Alice's own: under her context she has no resume, so newest first.
  assert.equal((await measure(alice.token, "/api/jobs?limit=5")).body.sort, "date");
  await db.sql`update jobs set owner_user_id = null where id = ${priv.id}::int`;
});

Deno.test("[e2e] GET /api/jobs - expired and revoked sessions are refused after the session lookup alone", async () => {
  const carol = await createUserWithToken(server.url);
  assert.equal((await measure(carol.token, "/api/jobs?limit=5")).status, 200);
  await db
    .sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${carol.user.id}::int`;
  const expired = await measure(carol.token, "/api/jobs?limit=5");
  assert.equal(expired.status, 401);
  assert.equal(expired.roundTrips, 1, "only the session lookup");
  assert.equal(expired.statements, 1);
  const dave = await createUserWithToken(server.url);
  await db.sql`update sessions set revoked_at = now() where user_id = ${dave.user.id}::int`;
  const revoked = await measure(dave.token, "/api/jobs?limit=5");
  assert.equal(revoked.status, 401);
  assert.equal(revoked.roundTrips, 1);
  // A token no session has.
  assert.equal((await measure(`${"x".repeat(43)}`, "/api/jobs?limit=5")).status, 401);
});

Deno.test("search round trips - teardown", async () => {
  await server.close();
  await pool.end({ timeout: 5 });
  await proxy.close();
  await db.drop();
});
