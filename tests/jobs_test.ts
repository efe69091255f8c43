import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";

const db = await useAppDatabase("jobs");
const server = await startTestServer({}, { sql: db.sql });
const admin = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };
const JSON_TYPE = /^application\/json/;

function job(n: number, extra: Record<string, unknown> = {}) {
  return {
    external_id: `ext-${n}`,
    source: "test",
    title: `Backend Engineer ${n}`,
    company: {
      name: "Acme Corp",
      domain: "acme.test",
      size: "51-200",
      industry: "Fintech",
      tech_stack: ["Go"],
    },
    location: "Berlin, Germany",
    remote: false,
    description: "Python and PostgreSQL on AWS.",
    comp_min: 80000,
    comp_max: 100000,
    posted_date: `2026-10-${String((n % 28) + 1).padStart(2, "0")}T12:00:00Z`,
    ...extra,
  };
}

Deno.test("[e2e] POST /api/admin/jobs/import - upserts by external_id and domain, rejects bad rows with their index", async () => {
  const first = await api(server.url, "POST", "/api/admin/jobs/import", {
    headers: admin,
    body: {
      jobs: [
        job(1),
        job(2, { company: { name: "Globex", domain: "WWW.Globex.test" } }),
        job(3, { comp_min: 200000, comp_max: 100000 }),
        { external_id: "ext-4", title: "No source" },
        job(5, { company: { name: "Acme", domain: "not a domain" } }),
        job(7, { posted_date: "0000-01-01" }),
        job(1, { title: "Repeated" }),
      ],
    },
  });
  assert.equal(first.status, 200);
  assert.match(first.type ?? "", JSON_TYPE);
  assert.equal(first.body.inserted, 2);
  assert.equal(first.body.updated, 0);
  assert.equal(first.body.companies_created, 2);
  assert.deepEqual(first.body.rejected.map((r: { index: number }) => r.index), [2, 3, 4, 5, 6]);
  assert.match(first.body.rejected[0].error, /comp_max: must be at least comp_min/);
  assert.match(first.body.rejected[1].error, /source/);
  assert.match(first.body.rejected[2].error, /company\.domain/);
  assert.match(first.body.rejected[3].error, /posted_date: must be in the year 1 or later/);
  assert.match(first.body.rejected[4].error, /repeats row 0/);

  const second = await api(server.url, "POST", "/api/admin/jobs/import", {
    headers: admin,
    body: { jobs: [job(1, { title: "Senior Backend Engineer" }), job(6)] },
  });
  assert.equal(second.status, 200);
  assert.deepEqual(second.body, { inserted: 1, updated: 1, companies_created: 0, rejected: [] });
  const [row] = await db
    .sql`select j.title, j.skills, c.domain from jobs j join companies c on c.id = j.company_id
                             where external_id = 'ext-1'`;
  assert.equal(row.title, "Senior Backend Engineer");
  assert.deepEqual(row.skills, ["Python", "PostgreSQL", "AWS"]);
  const [globex] = await db.sql`select domain from companies where name = 'Globex'`;
  assert.equal(globex.domain, "globex.test");
});

Deno.test("[e2e] POST /api/admin/jobs/import - needs the admin token", async () => {
  const { token } = await createUserWithToken(server.url);
  const res = await api(server.url, "POST", "/api/admin/jobs/import", { token, body: { jobs: [job(99)] } });
  assert.equal(res.status, 401);
  assert.match(res.type ?? "", JSON_TYPE);
  const [{ count }] = await db.sql`select count(*)::int as count from jobs where external_id = 'ext-99'`;
  assert.equal(count, 0);
});

Deno.test("[e2e] GET /api/jobs - full-text title search, filters, match badges, hidden companies and expired jobs left out", async () => {
  await api(server.url, "POST", "/api/admin/jobs/import", {
    headers: admin,
    body: {
      jobs: [
        job(10, { title: "Data Scientist", remote: true, location: null, comp_max: 150000 }),
        job(11, { title: "Senior Data Engineer", company: { name: "Hidden Inc", domain: "hidden.test" } }),
        job(12, { title: "Data Analyst", expires_at: "2020-01-01T00:00:00Z" }),
        job(13, { title: "Product Designer", remote: true }),
      ],
    },
  });
  const { token } = await createUserWithToken(server.url);
  const [hidden] = await db.sql`select id from companies where domain = 'hidden.test'`;
  const prefs = await api(server.url, "PUT", "/api/preferences", {
    token,
    body: { hidden_companies: [hidden.id], skills: ["python", "postgres"], min_salary: 120000 },
  });
  assert.equal(prefs.status, 200);

  const res = await api(server.url, "GET", "/api/jobs?q=data", { token });
  assert.equal(res.status, 200);
  assert.match(res.type ?? "", JSON_TYPE);
  assert.deepEqual(res.body.items.map((i: { title: string }) => i.title), ["Data Scientist"]);
  const [item] = res.body.items;
  assert.deepEqual(Object.keys(item).sort(), [
    "comp_max",
    "comp_min",
    "company",
    "id",
    "location",
    "match",
    "posted_date",
    "remote",
    "title",
  ]);
  assert.deepEqual(Object.keys(item.company).sort(), ["domain", "id", "name"]);
  // skills 2 of 3 (missing AWS), both of the user's used: 35 * (0.8 * 2/3 + 0.2) = 25.67 + remote 12
  // + salary 10 + full-time (the default role type) 8 = 55.67 of 65 -> 86
  assert.deepEqual(item.match, { score: 86, category: "strong" });
  assert.equal(res.body.next_cursor, null);

  const remote = await api(server.url, "GET", "/api/jobs?remote=true&comp_min=120000", { token });
  assert.deepEqual(remote.body.items.map((i: { title: string }) => i.title), ["Data Scientist"]);
  const berlin = await api(server.url, "GET", "/api/jobs?location=berlin&q=engineer", { token });
  assert.deepEqual(berlin.body.items.map((i: { title: string }) => i.title), [
    "Backend Engineer 6",
    "Backend Engineer 2",
    "Senior Backend Engineer",
  ]); // newest first: posted Oct 7, Oct 3, Oct 2
  const websearch = await api(
    server.url,
    "GET",
    `/api/jobs?q=${encodeURIComponent('"product designer" -data')}`,
    {
      token,
    },
  );
  assert.deepEqual(websearch.body.items.map((i: { title: string }) => i.title), ["Product Designer"]);
});

Deno.test("[e2e] GET /api/jobs - keyset pages are stable while jobs are inserted", async () => {
  const { token } = await createUserWithToken(server.url);
  await api(server.url, "POST", "/api/admin/jobs/import", {
    headers: admin,
    body: { jobs: Array.from({ length: 25 }, (_, i) => job(100 + i, { title: `Platform Engineer ${i}` })) },
  });
  const seen: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const path: string = `/api/jobs?q=platform&limit=10${cursor ? `&cursor=${cursor}` : ""}`;
    const page = await api(server.url, "GET", path, { token });
    assert.equal(page.status, 200);
    seen.push(...page.body.items.map((i: { id: number }) => i.id));
    cursor = page.body.next_cursor;
    if (pages++ === 0) {
      // jobs arriving between page 1 and page 2, both newer and older than the cursor
      await api(server.url, "POST", "/api/admin/jobs/import", {
        headers: admin,
        body: {
          jobs: [
            job(200, { title: "Platform Engineer new", posted_date: "2026-12-01T00:00:00Z" }),
            job(201, { title: "Platform Engineer old", posted_date: "2026-01-01T00:00:00Z" }),
          ],
        },
      });
    }
  } while (cursor);
  assert.equal(new Set(seen).size, seen.length, "no job appears twice");
  const [{ before }] = await db.sql`select count(*)::int as before from jobs
    where title like 'Platform Engineer %' and external_id <> 'ext-200'`;
  assert.equal(
    seen.length,
    before,
    "every job that existed before the first page is seen, plus the older arrival",
  );
  const bad = await api(server.url, "GET", "/api/jobs?cursor=bm90LWEtY3Vyc29y", { token });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.fields.cursor, "is not a cursor of this search");
});

Deno.test("[e2e] GET /api/jobs/:id - description, company and match reasons; unknown ids are 404", async () => {
  const { token } = await createUserWithToken(server.url);
  await api(server.url, "PUT", "/api/resume", { token, body: { skills: ["Python"] } });
  const [row] = await db.sql`select id from jobs where external_id = 'ext-6'`;
  const res = await api(server.url, "GET", `/api/jobs/${row.id}`, { token });
  assert.equal(res.status, 200);
  assert.match(res.type ?? "", JSON_TYPE);
  assert.equal(res.body.description, "Python and PostgreSQL on AWS.");
  assert.equal(res.body.company.domain, "acme.test");
  assert.deepEqual(res.body.match.reasons, ["1 of 3 required skills: missing PostgreSQL, AWS", "full-time"]);
  // skills 35 * (0.8 * 1/3 + 0.2 * 1/1) = 16.33, full-time 8: 24.33 of 43 (no preferences saved, full-time
  // is the default)
  assert.equal(res.body.match.score, 57);
  assert.equal(res.body.match.category, "fair");
  for (const id of ["999999", "0", "abc", "1e3", "-1", "99999999999"]) {
    const missing = await api(server.url, "GET", `/api/jobs/${id}`, { token });
    assert.equal(missing.status, 404, id);
    assert.match(missing.type ?? "", JSON_TYPE);
  }
});

Deno.test("[e2e] GET /api/companies - fuzzy on name", async () => {
  const { token } = await createUserWithToken(server.url);
  const res = await api(server.url, "GET", "/api/companies?q=Globx", { token });
  assert.equal(res.status, 200);
  assert.match(res.type ?? "", JSON_TYPE);
  assert.equal(res.body.items[0].name, "Globex");
  const sub = await api(server.url, "GET", "/api/companies?q=acme", { token });
  assert.deepEqual(sub.body.items.map((c: { domain: string }) => c.domain), ["acme.test"]);
  const none = await api(server.url, "GET", `/api/companies?q=${encodeURIComponent("%' or 1=1 --")}`, {
    token,
  });
  assert.equal(none.status, 200);
  assert.deepEqual(none.body.items, []);
});

Deno.test("jobs search - at 100,000 jobs a title search uses the seed's full-text index, no sequential scan of jobs", async () => {
  const [company] = await db.sql`select id from companies where domain = 'acme.test'`;
  await db.sql`
    insert into jobs (external_id, source, title, company_id, location, remote, posted_date, skills)
    select 'gen-' || g, 'generated',
           case when g % 1000 = 0 then 'Kubernetes Platform Engineer'
                else (array['Software Engineer','Data Scientist','Product Manager','Designer','Sales Lead',
                            'Support Agent','Site Reliability Engineer','Accountant'])[1 + g % 8] end || ' ' || g,
           ${company.id}, 'City ' || (g % 50), g % 3 = 0, now() - (g % 365) * interval '1 day', '[]'::jsonb
    from generate_series(1, 100000) g`;
  await db.sql`analyze jobs`;
  await db.sql`analyze companies`;
  const [{ count }] = await db.sql`select count(*)::int as count from jobs`;
  assert.ok(count >= 100000);
  const explain = (term: string) =>
    db.sql.begin(async (tx) => {
      await tx`select set_config('app.current_user_id', '1', true), set_config('role', 'app_user', true)`;
      const rows = await tx`
        explain select j.id from jobs j join companies c on c.id = j.company_id
        where (j.expires_at is null or j.expires_at > now()) and j.company_id <> all('{}'::int[])
          and to_tsvector('english', j.title) @@ websearch_to_tsquery('english', ${term}::text)
        order by j.posted_date desc nulls last, j.id desc limit 21`;
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  // A selective term (0.1% of jobs): the GIN expression index finds them.
  const rare = await explain("kubernetes");
  assert.match(rare, /idx_jobs_title_trgm/);
  assert.doesNotMatch(rare, /Seq Scan on jobs/);
  // A term in 1 of 8 jobs: walking the newest-first index until 21 match is cheaper; still no seq scan.
  const common = await explain("accountant");
  assert.doesNotMatch(common, /Seq Scan on jobs/);

  // The API's pages (db/jobs.ts: an index-only walk newest first, or the GIN matches sorted when the walk
  // finds too few) are the first rows of the keyset order that pass the filters, page after page, whichever
  // path each page took; the reference is the plain statement on the seed's expression.
  const { token } = await createUserWithToken(server.url);
  const searches = [
    { q: "accountant", location: undefined, limit: 50, pages: 3 }, // common word: the walk
    { q: "kubernetes", location: "City 7", limit: 1, pages: 3 }, // 2 of 100,000: the matches first
    { q: "kubernetes", location: undefined, limit: 7, pages: 20 }, // 0.1%: both paths, the last page short
    { q: '"platform engineer"', location: undefined, limit: 30, pages: 5 }, // a phrase (positions)
    { q: "zzznomatch", location: undefined, limit: 20, pages: 1 },
    { q: undefined, location: "%", limit: 5, pages: 1 }, // a literal %: no job's location has one
  ];
  for (const search of searches) {
    const expected = (await db.sql`
      select j.id from jobs j join companies c on c.id = j.company_id
      where (j.expires_at is null or j.expires_at > now())
        and (${search.q ?? null}::text is null
             or to_tsvector('english', j.title) @@ websearch_to_tsquery('english', ${search.q ?? ""}::text))
        and (${search.location ?? null}::text is null
             or strpos(lower(j.location), lower(${search.location ?? ""}::text)) > 0)
      order by j.posted_date desc nulls last, j.id desc
      limit ${search.limit * search.pages}`).map((r) => r.id as number);
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let p = 0; p < search.pages; p++) {
      const query = new URLSearchParams({ limit: String(search.limit) });
      if (search.q) query.set("q", search.q);
      if (search.location) query.set("location", search.location);
      if (cursor) query.set("cursor", cursor);
      const page = await api(server.url, "GET", `/api/jobs?${query}`, { token });
      assert.equal(page.status, 200, JSON.stringify(search));
      assert.match(page.type ?? "", JSON_TYPE);
      seen.push(...page.body.items.map((i: { id: number }) => i.id));
      cursor = page.body.next_cursor;
      if (!cursor) break;
    }
    assert.deepEqual(seen, expected, JSON.stringify(search));
  }
  // Each path's plan, as db/jobs.ts writes it: the walk goes down a keyset index (idx_jobs_search_keyset,
  // index-only, once VACUUM has marked the pages all-visible; here, right after the load, the narrower
  // idx_jobs_posted_keyset), the matches-first form starts from the GIN index of title_tsv (migration 0012).
  const plan = (text: string, params: (string | number)[]) =>
    db.sql.begin(async (tx) => {
      await tx`select set_config('app.current_user_id', '1', true), set_config('role', 'app_user', true)`;
      const rows = await tx.unsafe(`explain ${text}`, params);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  const walk = await plan(
    `select j.id from (
       select j.id, j.posted_date, j.expires_at, j.company_id, j.remote, j.comp_min, j.comp_max, j.location,
              j.title_tsv
       from jobs j order by j.posted_date desc nulls last, j.id desc limit 21000) j
     where (j.expires_at is null or j.expires_at > now()) and j.title_tsv @@ websearch_to_tsquery('english', $1)
     order by j.posted_date desc nulls last, j.id desc limit 21`,
    ["accountant"],
  );
  assert.match(walk, /Index (Only )?Scan using idx_jobs_(search|posted)_keyset/);
  assert.doesNotMatch(walk, /Seq Scan on jobs|Sort/);
  const matches = await plan(
    `select j.id from jobs j
     where (j.expires_at is null or j.expires_at > now()) and j.title_tsv @@ websearch_to_tsquery('english', $1)
     order by j.posted_date + interval '0 seconds' desc nulls last, j.id desc limit 21`,
    ["kubernetes"],
  );
  assert.match(matches, /idx_jobs_title_tsv/);
  assert.doesNotMatch(matches, /Seq Scan on jobs/);
});

Deno.test("jobs - teardown", async () => {
  await server.close();
  await db.drop();
});
