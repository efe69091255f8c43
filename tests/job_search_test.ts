import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { getMatchProfile, matchJobColumns, type MatchJobRow, toMatchJob } from "@/db/match_scores.ts";
import { computeMatch } from "@/core/match.ts";
import type { Tx } from "@/db/client.ts";
import { candidateState } from "@/db/match_candidates.ts";
import { refreshCandidates } from "@/services/matching/candidates.ts";

const db = await useAppDatabase("job_search");
const server = await startTestServer();
const admin = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };

type Item = { id: number; title: string; company: { name: string }; match: { score: number } };
const titles = (body: { items: Item[] }) => body.items.map((i) => i.title);

function job(n: number, title: string, extra: Record<string, unknown> = {}) {
  return {
    external_id: `s-${n}`,
    source: "test",
    title,
    company: { name: "Acme Corp", domain: "acme.test", size: "51-200", industry: "Fintech" },
    location: "Berlin, Germany",
    remote: false,
    description: "A role on a small team.",
    comp_min: 90000,
    comp_max: 120000,
    posted_date: `2026-10-${String((n % 28) + 1).padStart(2, "0")}T12:00:00Z`,
    ...extra,
  };
}

Deno.test("[e2e] GET /api/jobs - finds words in title, company, skills and description; phrases, prefixes, typos", async () => {
  const res = await api(server.url, "POST", "/api/admin/jobs/import", {
    headers: admin,
    body: {
      jobs: [
        job(1, "Front-End Engineer"),
        job(2, "Frontend Developer"),
        job(3, "Front End Web Developer"),
        job(4, "UI Developer", { description: "You will build our app in React and TypeScript." }),
        job(5, "Warehouse Associate", { company: { name: "Globex Logistics", domain: "globex.test" } }),
        job(6, "Data Scientist", { description: "Statistics and experiments." }),
        job(7, "Backend Engineer"),
        job(8, "Registered Nurse", { description: "Patient care on a busy ward." }),
      ],
    },
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.inserted, 8);
  const { token } = await createUserWithToken(server.url);
  const search = async (q: string) => {
    const r = await api(server.url, "GET", `/api/jobs?sort=date&limit=50&q=${encodeURIComponent(q)}`, {
      token,
    });
    assert.equal(r.status, 200, q);
    return r.body as { items: Item[]; count: { value: number; capped: boolean } };
  };
  const frontEnd = ["Front-End Engineer", "Frontend Developer", "Front End Web Developer"].sort();
  for (const q of ["front end", "front-end", "frontend", "Front-End"]) {
    assert.deepEqual(titles(await search(q)).sort(), frontEnd, q);
  }
  // A skill named only in the description.
  assert.deepEqual(titles(await search("react")), ["UI Developer"]);
  // The company's name.
  assert.deepEqual(titles(await search("globex")), ["Warehouse Associate"]);
  // The description's words.
  assert.deepEqual(titles(await search("patient care")), ["Registered Nurse"]);
  // A prefix of the last word.
  assert.deepEqual(titles(await search("scien")), ["Data Scientist"]);
  // A phrase.
  assert.deepEqual(titles(await search('"backend engineer"')), ["Backend Engineer"]);
  // Typos: no full-text hit, so titles and companies similar to the text.
  assert.deepEqual(titles(await search("engneer")).sort(), ["Backend Engineer", "Front-End Engineer"]);
  assert.deepEqual(titles(await search("globx")), ["Warehouse Associate"]);
  const none = await search("zzzqqq");
  assert.deepEqual(none.items, []);
  assert.deepEqual(none.count, { value: 0, capped: false });
  const counted = await search("developer");
  assert.deepEqual(counted.count, { value: 3, capped: false });
  // Best match (the default with a resume) lists every job a narrow search finds, not only those sharing a
  // skill or a title word with the resume.
  const engineer = await createUserWithToken(server.url);
  await api(server.url, "PUT", "/api/resume", {
    token: engineer.token,
    body: { roles: ["Backend Engineer"], skills: ["Python", "Go"] },
  });
  const nurse = await api(server.url, "GET", "/api/jobs?q=nurse", { token: engineer.token });
  assert.equal(nurse.body.sort, "match");
  assert.deepEqual(titles(nurse.body), ["Registered Nurse"]);
  assert.equal(nurse.body.items[0].match.score <= 49, true, "another profession is low");
});

Deno.test("[e2e] import stores nice-to-have skills; a renamed company is found by its new name", async () => {
  const res = await api(server.url, "POST", "/api/admin/jobs/import", {
    headers: admin,
    body: {
      jobs: [job(30, "Platform Engineer", {
        description: "Go and PostgreSQL every day. Nice to have: Terraform.",
        company: { name: "Initrode", domain: "initrode.test" },
      })],
    },
  });
  assert.equal(res.body.inserted, 1);
  const [row] = await db.sql`select skills, skills_nice from jobs where external_id = 's-30'`;
  assert.deepEqual(row.skills, ["Go", "PostgreSQL", "Terraform"]);
  assert.deepEqual(row.skills_nice, ["Terraform"]);
  const { token } = await createUserWithToken(server.url);
  const find = async (q: string) =>
    titles((await api(server.url, "GET", `/api/jobs?sort=date&q=${q}`, { token })).body);
  assert.deepEqual(await find("initrode"), ["Platform Engineer"]);
  await db.sql`update companies set name = 'Umbrella Systems' where domain = 'initrode.test'`;
  assert.deepEqual(await find("umbrella"), ["Platform Engineer"]);
  assert.deepEqual(await find("initrode"), []);
});

Deno.test("[e2e] GET /api/jobs - the count is exact up to 1,000; next and previous pages walk both ways", async () => {
  await db.sql`
    insert into jobs (external_id, source, title, company_id, location, remote, posted_date, skills)
    select 'w-' || g, 'generated', 'Widget Maker ' || g, (select id from companies where domain = 'acme.test'),
           'Oslo', false, timestamptz '2026-09-01' - (g % 40) * interval '1 hour', '[]'::jsonb
    from generate_series(1, 1005) g`;
  await db.sql`insert into jobs (external_id, source, title, company_id, posted_date)
    select 'w-undated-' || g, 'generated', 'Widget Maker undated', (select id from companies where domain = 'acme.test'),
           null from generate_series(1, 3) g`;
  const { token } = await createUserWithToken(server.url);
  const big = await api(server.url, "GET", "/api/jobs?q=widget&sort=date", { token });
  assert.deepEqual(big.body.count, { value: 1000, capped: true });
  assert.equal(big.body.prev_cursor, null);
  const small = await api(
    server.url,
    "GET",
    "/api/jobs?q=widget&location=oslo&sort=date&posted_after=2026-09-01",
    {
      token,
    },
  );
  assert.equal(small.body.count.capped, false);
  const expected = (await db.sql`select id from jobs where title like 'Widget Maker%'
    order by posted_date desc nulls last, id desc`).map((r) => r.id as number);
  // Forward through every page (dated jobs, then the undated), then back to the first.
  const pages: number[][] = [];
  let cursor: string | null = null;
  do {
    const r: { body: { items: Item[]; next_cursor: string | null; prev_cursor: string | null } } = await api(
      server.url,
      "GET",
      `/api/jobs?q=widget&sort=date&limit=100${cursor ? `&cursor=${cursor}` : ""}`,
      { token },
    );
    pages.push(r.body.items.map((i) => i.id));
    if (pages.length > 1) assert.ok(r.body.prev_cursor, "a page after the first has a previous page");
    cursor = r.body.next_cursor;
  } while (cursor && pages.length < 20);
  assert.deepEqual(pages.flat(), expected);
  assert.equal(pages.length, 11);
  // Back from the last page: each previous page is the page seen before it.
  let back = await api(server.url, "GET", `/api/jobs?q=widget&sort=date&limit=100`, { token });
  for (let i = 0; i < 10; i++) {
    back = await api(
      server.url,
      "GET",
      `/api/jobs?q=widget&sort=date&limit=100&cursor=${back.body.next_cursor}`,
      { token },
    );
  }
  for (let i = 9; i >= 0; i--) {
    back = await api(
      server.url,
      "GET",
      `/api/jobs?q=widget&sort=date&limit=100&cursor=${back.body.prev_cursor}`,
      {
        token,
      },
    );
    assert.equal(back.status, 200);
    assert.deepEqual(back.body.items.map((x: Item) => x.id), pages[i], `page ${i + 1} going back`);
  }
  assert.equal(back.body.prev_cursor, null);
});

Deno.test("[e2e] GET /api/jobs - bad sort or cursor is a 422 naming the field; a date cursor is refused by sort=match", async () => {
  const { token } = await createUserWithToken(server.url);
  const sort = await api(server.url, "GET", "/api/jobs?sort=best", { token });
  assert.equal(sort.status, 422);
  assert.equal(sort.body.error.fields.sort, "must be match or date");
  const first = await api(server.url, "GET", "/api/jobs?sort=date&limit=1", { token });
  const mixed = await api(server.url, "GET", `/api/jobs?sort=match&cursor=${first.body.next_cursor}`, {
    token,
  });
  assert.equal(mixed.status, 422);
  assert.equal(mixed.body.error.fields.cursor, "is not a cursor of this search");
  const forged = await api(server.url, "GET", "/api/jobs?sort=match&cursor=WyJtIiwibmV4dCIsOTksMV0x", {
    token,
  });
  assert.equal(forged.status, 422);
});

Deno.test("[e2e] GET /jobs - an invalid filter shows its error and no result list; results show a count", async () => {
  const { cookie } = await createUserWithToken(server.url);
  const bad = await fetch(`${server.url}/jobs?comp_min=200k`, { headers: { cookie } });
  const html = await bad.text();
  assert.equal(bad.status, 422);
  assert.match(html, /id="comp_min-error"/);
  assert.doesNotMatch(html, /No open jobs match this search/);
  assert.doesNotMatch(html, /aria-label="Search results"/);
  const ok = await fetch(`${server.url}/jobs?q=widget&sort=date`, { headers: { cookie } });
  const okHtml = await ok.text();
  assert.equal(ok.status, 200);
  assert.match(okHtml, /1,000\+ jobs, newest first/);
  assert.match(okHtml, /Next page/);
});

/** Deterministic pseudo-random numbers for the generated jobs. */
function prng(seed: number) {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

Deno.test("[e2e] GET /api/jobs?sort=match - the order of a brute-force ranking of 10,000 jobs, hidden companies left out", async () => {
  const [{ id: acme }] = await db.sql`
    insert into companies (name, domain, size, industry) values ('Brute Co', 'brute.test', '51-200', 'Fintech')
    returning id`;
  const [{ id: hidden }] = await db.sql`
    insert into companies (name, domain, size, industry) values ('Hidden Co', 'hidden-co.test', '201-500', 'Fintech')
    returning id`;
  const professions: [string, string[]][] = [
    ["Backend Engineer", ["Python", "Go", "PostgreSQL", "Kafka", "AWS", "Docker", "Redis"]],
    ["Frontend Developer", ["JavaScript", "TypeScript", "React", "CSS", "HTML", "Jest"]],
    ["Registered Nurse", ["Patient Care", "BLS", "ACLS", "Epic", "Triage"]],
    ["Data Analyst", ["SQL", "Excel", "Tableau", "Python", "Statistics"]],
    ["Product Designer", ["Figma", "User Research", "Prototyping", "UX Design"]],
    ["Site Reliability Engineer", ["Kubernetes", "Terraform", "AWS", "Go", "Linux"]],
    ["Account Executive", ["Salesforce", "HubSpot"]],
    ["Data Engineer", ["Python", "Spark", "Airflow", "Kafka", "SQL"]],
    ["Software Engineer", ["Java", "Python", "PostgreSQL", "AWS"]],
    ["Technical Recruiter", ["Recruiting"]],
    ["Content Marketing Manager", ["SEO", "Content Marketing"]],
    ["Full Stack Engineer", ["TypeScript", "React", "Node.js", "PostgreSQL"]],
  ];
  const levels = ["", "Senior ", "Junior ", "Staff ", "Lead "];
  const cities = ["Berlin, Germany", "Paris, France", "New York, NY", "Remote"];
  const rand = prng(42);
  const rows = Array.from({ length: 10_000 }, (_, i) => {
    const [title, stack] = professions[Math.floor(rand() * professions.length)];
    const skills = stack.filter(() => rand() < 0.6);
    const city = cities[Math.floor(rand() * cities.length)];
    const comp = 60_000 + Math.floor(rand() * 15) * 10_000;
    return {
      external_id: `m-${i}`,
      title: levels[Math.floor(rand() * levels.length)] + title,
      company_id: rand() < 0.05 ? hidden : acme,
      location: city,
      remote: city === "Remote" || rand() < 0.1,
      comp_min: comp,
      comp_max: comp + 20_000,
      posted: new Date(Date.UTC(2026, 8, 1) - Math.floor(rand() * 60 * 86400) * 1000).toISOString(),
      skills,
      nice: skills.length > 2 && rand() < 0.3 ? skills.slice(-1) : [],
    };
  });
  await db.sql`
    insert into jobs (external_id, source, title, company_id, location, remote, comp_min, comp_max, job_type,
                      posted_date, skills, skills_nice)
    select x.external_id, 'generated', x.title, x.company_id, x.location, x.remote, x.comp_min, x.comp_max,
           'full-time', x.posted, x.skills, x.nice
    from jsonb_to_recordset(${
    JSON.stringify(rows)
  }::text::jsonb) as x(external_id text, title text, company_id int,
      location text, remote boolean, comp_min int, comp_max int, posted timestamptz, skills jsonb, nice jsonb)`;
  await db.sql`analyze jobs`;
  const { token, user } = await createUserWithToken(server.url);
  const resume = await api(server.url, "PUT", "/api/resume", {
    token,
    body: {
      roles: ["Senior Backend Engineer", "Backend Engineer"],
      skills: ["Python", "Go", "PostgreSQL", "Kafka", "AWS"],
    },
  });
  assert.equal(resume.status, 200);
  const prefs = await api(server.url, "PUT", "/api/preferences", {
    token,
    body: {
      locations: ["Berlin"],
      remote_ok: true,
      role_levels: ["senior"],
      min_salary: 120000,
      hidden_companies: [hidden],
    },
  });
  assert.equal(prefs.status, 200);

  // Brute force: every open job the user can see, scored by the same function, best first.
  const brute = await db.sql.begin(async (tx) => {
    const profile = await getMatchProfile(tx as unknown as Tx, user.id);
    const all = await tx<(MatchJobRow & { id: number; company_id: number })[]>`
      select j.id, j.company_id, ${matchJobColumns(tx as unknown as Tx)}
      from jobs j join companies c on c.id = j.company_id
      where (j.expires_at is null or j.expires_at > now())`;
    return all.filter((r) => !profile.hidden_companies.includes(r.company_id))
      .map((r) => ({ id: r.id, score: computeMatch(toMatchJob(r), profile).score }))
      .sort((a, b) => b.score - a.score || b.id - a.id);
  });
  // The API, default order (the user has a resume): four pages of 50.
  const seen: { id: number; score: number }[] = [];
  let cursor: string | null = null;
  const pageBodies: { items: Item[]; prev_cursor: string | null }[] = [];
  for (let p = 0; p < 4; p++) {
    const r: {
      status: number;
      body: { items: Item[]; sort: string; next_cursor: string | null; prev_cursor: string | null };
    } = await api(server.url, "GET", `/api/jobs?limit=50${cursor ? `&cursor=${cursor}` : ""}`, { token });
    assert.equal(r.status, 200);
    assert.equal(r.body.sort, "match");
    pageBodies.push(r.body);
    seen.push(...r.body.items.map((i) => ({ id: i.id, score: i.match.score })));
    cursor = r.body.next_cursor;
  }
  assert.deepEqual(seen, brute.slice(0, 200));
  assert.ok(seen[0].score >= 90, `the best match scores ${seen[0].score}`);
  const hiddenIds = (await db.sql`select id from jobs where company_id = ${hidden}`).map((r) =>
    r.id as number
  );
  assert.ok(hiddenIds.length > 0);
  assert.ok(!seen.some((s) => hiddenIds.includes(s.id)), "no job of a hidden company");
  // Back one page from the fourth: the third.
  const prev = await api(server.url, "GET", `/api/jobs?limit=50&cursor=${pageBodies[3].prev_cursor}`, {
    token,
  });
  assert.deepEqual(prev.body.items.map((i: Item) => i.id), seen.slice(100, 150).map((s) => s.id));
  // The same pages from the user's best-match table once it is built (the save queued it), all four inside
  // the table's exact part, so none of them comes from the pools.
  await refreshCandidates(db.sql, user.id);
  const state = await candidateState(db.sql, user.id);
  assert.ok(state && !state.stale && state.exact);
  const exact = state.exact;
  const inExact = brute.filter((b) => b.score > exact.score || (b.score === exact.score && b.id >= exact.id));
  assert.ok(inExact.length > 200, `the table is exact for ${inExact.length} jobs`);
  const fromTable: { id: number; score: number }[] = [];
  const tableBodies: { items: Item[]; prev_cursor: string | null }[] = [];
  cursor = null;
  for (let p = 0; p < 4; p++) {
    const r = await api(server.url, "GET", `/api/jobs?limit=50${cursor ? `&cursor=${cursor}` : ""}`, {
      token,
    });
    assert.equal(r.status, 200);
    tableBodies.push(r.body);
    fromTable.push(...(r.body.items as Item[]).map((i) => ({ id: i.id, score: i.match.score })));
    cursor = r.body.next_cursor;
  }
  assert.deepEqual(fromTable, brute.slice(0, 200));
  const tablePrev = await api(server.url, "GET", `/api/jobs?limit=50&cursor=${tableBodies[3].prev_cursor}`, {
    token,
  });
  assert.deepEqual(tablePrev.body.items.map((i: Item) => i.id), seen.slice(100, 150).map((s) => s.id));
  // Without a resume the default is newest first.
  const other = await createUserWithToken(server.url);
  const dated = await api(server.url, "GET", "/api/jobs?limit=5", { token: other.token });
  assert.equal(dated.body.sort, "date");
});

Deno.test("job search - at 100,000 jobs the count, both page forms, the best-match pools and table use indexes, no sequential scan", async () => {
  await db.sql`
    insert into jobs (external_id, source, title, company_id, location, remote, posted_date, skills)
    select 'gen-' || g, 'generated',
           case when g % 1000 = 0 then 'Kubernetes Platform Engineer'
                else (array['Software Engineer','Data Scientist','Product Manager','Designer','Sales Lead',
                            'Support Agent','Site Reliability Engineer','Accountant'])[1 + g % 8] end || ' ' || g,
           (select id from companies where domain = 'acme.test'), 'City ' || (g % 50), g % 3 = 0,
           now() - (g % 365) * interval '1 day',
           case when g % 7 = 0 then '["Python"]'::jsonb else '["Excel"]'::jsonb end
    from generate_series(1, 90000) g`;
  await db.sql`vacuum analyze jobs`;
  const plan = (text: string, params: (string | number | string[])[], settings = "") =>
    db.sql.begin(async (tx) => {
      await tx`select set_config('app.current_user_id', '1', true), set_config('role', 'app_user', true)`;
      if (settings) await tx.unsafe(settings);
      const rows = await tx.unsafe(`explain ${text}`, params as never[]);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  const open = `(j.expires_at is null or j.expires_at > now())`;
  const q = `j.search_tsv @@ (websearch_to_tsquery('english', $1) && to_tsquery('english', $2 || ':*'))`;
  const checks: [string, string, (string | number | string[])[], string?][] = [
    ["count", `select count(*) from (select 1 from jobs j where ${open} and ${q} limit 1001) x`, [
      "",
      "kubernetes",
    ]],
    [
      "matches first",
      `select j.id from jobs j where ${open} and ${q} and j.posted_date is not null
       order by j.posted_date + interval '0 seconds' desc nulls last, j.id desc limit 21`,
      ["", "kubernetes"],
    ],
    [
      "walk from the cursor",
      `select j.id from jobs j where ${open} and ${q} and j.posted_date is not null
         and (j.posted_date, j.id) < (now() - interval '30 days', 50000)
       order by j.posted_date desc nulls last, j.id desc limit 21`,
      ["", "accountant"],
      "set local enable_bitmapscan = off; set local enable_seqscan = off",
    ],
    [
      "skills pool",
      `select j.id from jobs j where ${open} and j.skills ?| $1::text[]
       order by j.posted_date desc nulls last, j.id desc limit 2000`,
      [["Python", "Go"]],
    ],
    [
      "title pool",
      `select j.id from jobs j where ${open} and j.search_tsv @@ to_tsquery('english', $1)
       order by j.posted_date desc nulls last, j.id desc limit 2000`,
      ["'kubernetes':A | 'platform':A"],
    ],
    [
      "best-match table page",
      `select mc.job_id, mc.score from match_candidates mc join jobs j on j.id = mc.job_id
       where mc.user_id = 1 and (mc.score, mc.job_id) >= ($1::int, 0) and (mc.score, mc.job_id) < ($2::int, 50000)
         and ${open} and j.owner_user_id is null and j.search_tsv @@ to_tsquery('english', 'engineer')
       order by mc.score desc, mc.job_id desc limit 21`,
      [75, 90],
    ],
    [
      "typo fallback",
      `select count(*) from (select 1 from jobs j where ${open} and ($1 <% j.title
         or j.company_id = any(array(select c2.id from companies c2 where $1 <% c2.name))) limit 1001) x`,
      ["kubernets"],
      "set local enable_seqscan = off",
    ],
  ];
  for (const [name, text, params, settings] of checks) {
    const p = await plan(text, params, settings);
    assert.doesNotMatch(p, /Seq Scan on jobs/, `${name}:\n${p}`);
    if (name === "walk from the cursor") assert.match(p, /Index Cond: .*ROW\(posted_date, id\) </s, p);
  }
});

Deno.test("job search - teardown", async () => {
  await server.close();
  await db.drop();
});
