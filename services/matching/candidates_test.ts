import assert from "node:assert/strict";
import { useTestApp } from "@/tests/helpers/app.ts";
import { type Sql, type Tx, withUser } from "@/db/client.ts";
import { candidateState, storedCandidates } from "@/db/match_candidates.ts";
import { getMatchProfile, matchJobColumns, type MatchJobRow, toMatchJob } from "@/db/match_scores.ts";
import { putResume } from "@/db/resumes.ts";
import { putPreferences } from "@/db/preferences.ts";
import { searchJobs } from "@/db/jobs.ts";
import { tableMatchPage } from "@/db/job_match_rank.ts";
import { importJobs } from "@/services/imports/job_import.ts";
import { PreferencesBody, ResumeBody } from "@/core/profile_schemas.ts";
import { computeMatch } from "@/core/match.ts";
import {
  mergeChangedJobs,
  OUTSIDE_SETS_MAX,
  refreshCandidates,
  refreshCandidateTables,
} from "./candidates.ts";

const t = await useTestApp("match_candidates");
const sql = t.app.sql;

const STACKS = [
  ["Python", "PostgreSQL", "Kafka"],
  ["Go", "Kubernetes", "AWS"],
  ["React", "TypeScript", "CSS"],
  ["Java", "Spring", "Kafka"],
];
const TITLES = [
  "Backend Engineer",
  "Senior Backend Engineer",
  "Frontend Engineer",
  "Registered Nurse",
  "Data Analyst",
];

/** Imported jobs: title i, a stack named in the description, Berlin or remote. */
function jobs(from: number, n: number, extra: Record<string, unknown> = {}) {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      external_id: `mc-${i}`,
      source: "test",
      title: TITLES[i % TITLES.length],
      company: { name: `Co ${i % 7}`, domain: `co${i % 7}.test`, size: "51-200", industry: "Fintech" },
      location: i % 3 === 0 ? "Remote" : "Berlin, Germany",
      remote: i % 3 === 0,
      description: `We use ${STACKS[i % STACKS.length].slice(0, 1 + (i % 3)).join(", ")} every day.`,
      comp_min: 80_000 + (i % 9) * 10_000,
      comp_max: 100_000 + (i % 9) * 10_000,
      posted_date: `2026-10-${String((i % 28) + 1).padStart(2, "0")}T12:00:00Z`,
      ...extra,
    };
  });
}

async function user(email: string): Promise<number> {
  const [row] = await sql<{ id: number }[]>`insert into users (email) values (${email}) returning id`;
  return row.id;
}

async function backendProfile(userId: number) {
  await putResume(
    sql,
    userId,
    ResumeBody.parse({ roles: ["Senior Backend Engineer"], skills: ["Python", "PostgreSQL", "Go", "AWS"] }),
  );
  await putPreferences(
    sql,
    userId,
    PreferencesBody.parse({ locations: ["Berlin"], role_levels: ["senior"] }),
  );
}

/** Every open public job the user can see, scored, best first: what the table must agree with. */
function bruteForce(s: Sql, userId: number, where = (_tx: Tx) => _tx`true`) {
  return withUser(s, userId, async (tx) => {
    const profile = await getMatchProfile(tx, userId);
    const rows = await tx<(MatchJobRow & { id: number })[]>`
      select j.id, ${matchJobColumns(tx)} from jobs j join companies c on c.id = j.company_id
      where (j.expires_at is null or j.expires_at > now()) and j.owner_user_id is null
        and j.company_id <> all(${profile.hidden_companies}::int[]) and ${where(tx)}`;
    return rows.map((r) => ({ job_id: r.id, score: computeMatch(toMatchJob(r), profile).score }))
      .sort((a, b) => b.score - a.score || b.job_id - a.job_id);
  });
}

const keys = (rows: { job_id: number; score: number }[]) => rows.map((r) => `${r.score}:${r.job_id}`);

Deno.test("refreshCandidates - a saved profile queues a rebuild; the rebuild holds the top k of the real ranking", async () => {
  assert.equal((await importJobs(sql, jobs(0, 300))).inserted, 300);
  const me = await user("mc-a@test.io");
  await backendProfile(me);
  const queued = await candidateState(sql, me);
  assert.equal(queued?.stale, true, "the save queues the rebuild");
  const done = await refreshCandidates(sql, me, 40);
  assert.equal(done.rows, 40);
  assert.ok(done.scored < 300, `only the jobs sharing a skill or naming none are scored (${done.scored})`);
  const state = await candidateState(sql, me);
  assert.equal(state?.stale, false);
  const brute = await bruteForce(sql, me);
  assert.deepEqual(keys(await storedCandidates(sql, me)), keys(brute.slice(0, 40)));
  // Exact from the 40th row up, never below the bound of the jobs it did not score.
  assert.ok(state!.exact!.score >= OUTSIDE_SETS_MAX + 1);
  // Another save: the table is stale again and the search goes back to the pools.
  await putPreferences(sql, me, PreferencesBody.parse({ locations: ["Paris"] }));
  assert.equal((await candidateState(sql, me))?.stale, true);
  const page = await withUser(sql, me, (tx) => tableMatchPage(tx, me, () => tx`true`, 10, undefined));
  assert.equal(page, undefined);
  // The scheduled run rebuilds it for the new profile.
  const run = await refreshCandidateTables(sql, { k: 40 });
  assert.ok(run.rebuilt >= 1);
  assert.equal((await candidateState(sql, me))?.stale, false);
  const paris = await bruteForce(sql, me);
  const stored = await storedCandidates(sql, me);
  assert.deepEqual(keys(stored), keys(paris.slice(0, stored.length)));
});

Deno.test("mergeChangedJobs - imported jobs enter the top k, edited and expired ones are re-scored or leave", async () => {
  const me = await user("mc-b@test.io");
  await backendProfile(me);
  await refreshCandidates(sql, me, 30);
  const before = await storedCandidates(sql, me);
  // An import: new jobs, some of them better than the table's last row.
  await importJobs(
    sql,
    jobs(1000, 50, { description: "Python, PostgreSQL, Go and AWS.", location: "Berlin, Germany" }),
  );
  const top = before[0].job_id;
  await sql`update jobs set expires_at = now() - interval '1 day' where id = ${top}`;
  const merged = await mergeChangedJobs(sql, me, 30);
  assert.ok(merged && merged.scored >= 50, "the new jobs were scored");
  const after = await storedCandidates(sql, me);
  assert.ok(!after.some((r) => r.job_id === top), "the expired job left");
  assert.deepEqual(keys(after), keys((await bruteForce(sql, me)).slice(0, after.length)));
  assert.ok(after.some((r) => !before.some((b) => b.job_id === r.job_id)), "new jobs entered");
  // Nothing changed since: the scheduled run has nothing to merge for this user.
  const again = await mergeChangedJobs(sql, me, 30);
  assert.equal(again?.scored, 0);
});

Deno.test("match_candidates - row-level security: a user reads only their own rows and writes none", async () => {
  const a = await user("mc-rls-a@test.io");
  const b = await user("mc-rls-b@test.io");
  await backendProfile(a);
  await backendProfile(b);
  await refreshCandidates(sql, a, 20);
  await refreshCandidates(sql, b, 20);
  const seen = await withUser(
    sql,
    b,
    (tx) => tx<{ user_id: number }[]>`select user_id from match_candidates`,
  );
  assert.ok(seen.length > 0 && seen.every((r) => r.user_id === b));
  const states = await withUser(sql, b, (tx) => tx`select user_id from match_candidate_state`);
  assert.deepEqual(states.map((r) => r.user_id), [b]);
  await assert.rejects(
    withUser(
      sql,
      b,
      (tx) =>
        tx`insert into match_candidates (user_id, job_id, score, category) values (${b}, 1, 99, 'excellent')`,
    ),
    /permission denied/,
  );
  await assert.rejects(
    withUser(
      sql,
      b,
      (tx) => tx`update match_candidate_state set stale = false, exact_score = 0 where user_id = ${a}`,
    ),
    /permission denied/,
  );
});

Deno.test("searchJobs - sort=match pages from the table with a dense filter and falls back to the pools for a rare one", async () => {
  const me = await user("mc-c@test.io");
  await backendProfile(me);
  await refreshCandidates(sql, me, 60);
  // Dense: remote jobs are a third of all; their best are in the table's exact part.
  const dense = await searchJobs(sql, me, { sort: "match", limit: 5, remote: true });
  const fromTable = await withUser(
    sql,
    me,
    (tx) =>
      tableMatchPage(
        tx,
        me,
        () => tx`(j.expires_at is null or j.expires_at > now()) and j.remote = true`,
        5,
        undefined,
      ),
  );
  assert.ok(fromTable, "the table answers the remote filter");
  const remote = await bruteForce(sql, me, (tx) => tx`j.remote = true`);
  assert.deepEqual(dense.items.map((i) => `${i.match.score}:${i.id}`), keys(remote.slice(0, 5)));
  // Rare: one company, whose jobs in the table cannot fill a page of 50: the pools rank them all.
  const [company] = await sql<{ id: number }[]>`select id from companies where domain = 'co3.test'`;
  const rare = await withUser(
    sql,
    me,
    (tx) => tableMatchPage(tx, me, () => tx`j.company_id = ${company.id}::int`, 50, undefined),
  );
  assert.equal(rare, undefined, "the table cannot answer it");
  const page = await searchJobs(sql, me, { sort: "match", limit: 50, company_id: company.id });
  const brute = await bruteForce(sql, me, (tx) => tx`j.company_id = ${company.id}::int`);
  assert.deepEqual(page.items.map((i) => `${i.match.score}:${i.id}`), keys(brute.slice(0, 50)));
});

Deno.test("refreshCandidateTables - a signed-in user with a resume from before the tables gets one", async () => {
  const me = await user("mc-d@test.io");
  await sql`insert into resumes (user_id, roles, skills) values (${me}, '["Backend Engineer"]', '["Python", "Go"]')`;
  await sql`insert into sessions (user_id, token_hash) values (${me}, ${"d".repeat(64)})`;
  const asleep = await user("mc-e@test.io");
  await sql`insert into resumes (user_id, roles, skills) values (${asleep}, '["Backend Engineer"]', '["Python"]')`;
  const run = await refreshCandidateTables(sql, { k: 20 });
  assert.ok(run.queued >= 1);
  const state = await candidateState(sql, me);
  assert.equal(state?.stale, false);
  assert.ok(state.rows > 0);
  assert.equal(await candidateState(sql, asleep), undefined, "no session: no table");
});

Deno.test("match candidates - teardown", async () => {
  await t.close();
});
