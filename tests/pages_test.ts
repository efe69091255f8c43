import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";

const db = await useAppDatabase("pages");
const server = await startTestServer({}, { sql: db.sql });
const HTML = /^text\/html/;

async function page(path: string, cookie?: string) {
  const res = await fetch(server.url + path, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    headers: res.headers,
    html: await res.text(),
  };
}

async function postForm(path: string, fields: Record<string, string | string[]>, cookie?: string) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: server.url,
      ...(cookie ? { cookie } : {}),
    },
    body,
    redirect: "manual",
  });
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    headers: res.headers,
    html: await res.text(),
  };
}

const csrfOf = (html: string) => /name="_csrf" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? "";

await api(server.url, "POST", "/api/admin/jobs/import", {
  headers: { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` },
  body: {
    jobs: [{
      external_id: "page-1",
      source: "test",
      title: "Backend Engineer <script>alert('x')</script>",
      description: "Python, PostgreSQL and Kubernetes.",
      company: { name: "Acme & Sons", domain: "acme-sons.test", industry: "Fintech" },
      location: "Berlin",
      comp_max: 120000,
    }],
  },
});
const [job] = await db.sql`select id from jobs where external_id = 'page-1'`;

Deno.test("[e2e] GET / - the landing page for visitors", async () => {
  const res = await page("/");
  assert.equal(res.status, 200);
  assert.match(res.type ?? "", HTML);
  assert.match(res.html, /<a href="\/signup"[^>]*>Create a free account<\/a>/);
  assert.match(res.html, /<link rel="stylesheet" href="\/styles.css"\/?>/);
  // no islands: no JavaScript besides /page.js, the forms' small enhancements (focus, confirm, time zone)
  assert.doesNotMatch(res.html, /<script(?![^>]*src="\/page\.js")/);
});

Deno.test("[e2e] signed-in pages - a visitor is sent to the login (303) and back after", async () => {
  for (const path of ["/settings", "/jobs?q=data", `/jobs/${job.id}`, "/applications", "/applications/1"]) {
    const res = await page(path);
    assert.equal(res.status, 303, path);
    assert.equal(res.headers.get("location"), `/login?next=${encodeURIComponent(path)}`);
  }
});

Deno.test("[e2e] POST /signup, /login, /logout - forms that work without JavaScript", async () => {
  const form = await page("/signup");
  assert.equal(form.status, 200);
  assert.match(form.type ?? "", HTML);
  assert.match(form.html, /<form method="post" action="\/signup"/);

  const bad = await postForm("/signup", { email: "nope", password: "short", full_name: "" });
  assert.equal(bad.status, 422);
  assert.match(bad.type ?? "", HTML);
  assert.match(bad.html, /id="password-error"/);

  const ok = await postForm("/signup", {
    email: "page.user@example.test",
    password: "a-long-password",
    full_name: "Page User",
    mode: "job_seeker",
    next: "/jobs",
  });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), "/jobs");
  const cookie = (ok.headers.get("set-cookie") ?? "").split(";")[0];
  assert.match(cookie, /^rf_session=/);

  const home = await page("/", cookie);
  assert.equal(home.status, 200);
  assert.match(home.html, /Welcome back, Page User/);

  const noCsrf = await postForm("/logout", {}, cookie);
  assert.equal(noCsrf.status, 403);
  const out = await postForm("/logout", { _csrf: csrfOf(home.html) }, cookie);
  assert.equal(out.status, 303);
  assert.equal((await page("/settings", cookie)).status, 303); // the session is over

  const wrong = await postForm("/login", { email: "page.user@example.test", password: "not-it-at-all" });
  assert.equal(wrong.status, 401);
  assert.match(wrong.html, /Wrong email or password/);
  const back = await postForm("/login", {
    email: "PAGE.user@example.test",
    password: "a-long-password",
    next: "//evil",
  });
  assert.equal(back.status, 303);
  assert.equal(back.headers.get("location"), "/"); // never off-site
});

Deno.test("[e2e] POST /settings - saves the resume and preferences from forms; bad values re-render with errors", async () => {
  const { cookie, token } = await createUserWithToken(server.url);
  const settings = await page("/settings", cookie);
  assert.equal(settings.status, 200);
  const csrf = csrfOf(settings.html);
  assert.equal(csrf.length, 64);

  const resume = await postForm("/settings", {
    _csrf: csrf,
    form: "resume",
    skills: "Python, python, Kubernetes",
    roles: "Engineer at Acme\nIntern at Globex",
    raw_text: "",
  }, cookie);
  assert.equal(resume.status, 303);
  assert.equal(resume.headers.get("location"), "/settings?saved=resume");
  const saved = await api(server.url, "GET", "/api/resume", { token });
  assert.deepEqual(saved.body.skills, ["Python", "Kubernetes"]);
  assert.deepEqual(saved.body.roles, ["Engineer at Acme", "Intern at Globex"]);

  const bad = await postForm("/settings", {
    _csrf: csrf,
    form: "preferences",
    role_types: ["full-time", "gig"],
    min_salary: "lots",
  }, cookie);
  assert.equal(bad.status, 422);
  assert.match(bad.type ?? "", HTML);
  assert.match(bad.html, /id="role_types-error"/);
  assert.match(bad.html, /id="min_salary-error"/);
  assert.equal(
    (await db.sql`select 1 from job_preferences jp join users u on u.id = jp.user_id
                              where u.email = ${
      saved.body && (await api(server.url, "GET", "/api/me", { token })).body.email
    }`).length,
    0,
  );

  const prefs = await postForm("/settings", {
    _csrf: csrf,
    form: "preferences",
    role_types: ["full-time", "contract"],
    locations: "Berlin, Remote",
    remote_ok: "on",
    min_salary: "100,000",
  }, cookie);
  assert.equal(prefs.status, 303);
  const p = await api(server.url, "GET", "/api/preferences", { token });
  assert.deepEqual(p.body.role_types, ["full-time", "contract"]);
  assert.deepEqual(p.body.locations, ["Berlin", "Remote"]);
  assert.equal(p.body.min_salary, 100000);

  const forged = await postForm(
    "/settings",
    { _csrf: "0".repeat(64), form: "resume", skills: "Hacking" },
    cookie,
  );
  assert.equal(forged.status, 403);
  const still = await api(server.url, "GET", "/api/resume", { token });
  assert.deepEqual(still.body.skills, ["Python", "Kubernetes"]);
});

Deno.test("[e2e] GET /jobs, /jobs/:id - results with match badges; user text is escaped", async () => {
  const { cookie } = await createUserWithToken(server.url);
  const list = await page("/jobs?q=backend&remote=", cookie);
  assert.equal(list.status, 200);
  assert.match(list.type ?? "", HTML);
  assert.match(list.html, /Backend Engineer &lt;script>alert\('x'\)&lt;\/script>/); // "<" escaped: no tag
  assert.doesNotMatch(list.html, /<script>alert/);
  assert.match(list.html, /class="badge badge-\w+"/);
  assert.match(list.html, /Acme &amp; Sons/);

  const bad = await page("/jobs?comp_min=lots", cookie);
  assert.equal(bad.status, 422);
  assert.match(bad.html, /id="comp_min-error"/);

  const detail = await page(`/jobs/${job.id}`, cookie);
  assert.equal(detail.status, 200);
  assert.match(detail.html, /Why this score/);
  assert.match(detail.html, /No contacts known at Acme &amp; Sons yet/);
  const save = await postForm(`/jobs/${job.id}`, { _csrf: csrfOf(detail.html), status: "saved" }, cookie);
  assert.equal(save.status, 303);
  const location = save.headers.get("location") ?? "";
  assert.match(location, /^\/applications\/\d+$/);
  const app = await page(location, cookie);
  assert.equal(app.status, 200);
  assert.match(app.html, /id="outreach"/);
  const hide = await postForm(`/jobs/${job.id}`, { _csrf: csrfOf(detail.html), action: "hide" }, cookie);
  assert.equal(hide.status, 303);
  const [company] = await db.sql`select id from companies where domain = 'acme-sons.test'`;
  assert.equal(hide.headers.get("location"), `/jobs?hidden=${company.id}`);
  const afterHide = await page(hide.headers.get("location")!, cookie);
  assert.match(afterHide.html, /Jobs from Acme &amp; Sons are hidden/);
  assert.doesNotMatch(afterHide.html, /class="job-item"/);
  const settings = await page("/settings", cookie);
  assert.match(settings.html, /<span>Acme &amp; Sons<\/span>/);
  const unhide = await postForm("/settings", {
    _csrf: csrfOf(settings.html),
    form: "unhide",
    company_id: String(company.id),
  }, cookie);
  assert.equal(unhide.status, 303);
  assert.match((await page("/jobs", cookie)).html, /class="job-item"/);
  const missing = await page("/jobs/99999999", cookie);
  assert.equal(missing.status, 404);
  assert.match(missing.type ?? "", HTML);
});

Deno.test("[e2e] POST /applications/:id - the board's no-JavaScript move, notes and another user's id (404)", async () => {
  const owner = await createUserWithToken(server.url);
  const other = await createUserWithToken(server.url);
  const created = await api(server.url, "POST", "/api/applications", {
    token: owner.token,
    body: { job_id: job.id, status: "saved" },
  });
  const id = created.body.id;
  const board = await page("/applications", owner.cookie);
  assert.equal(board.status, 200);
  assert.match(board.html, /<roleferry-island/);
  const csrf = csrfOf(board.html);
  const moved = await postForm(`/applications/${id}`, {
    _csrf: csrf,
    action: "move",
    status: "interviewing",
    back: "/applications",
  }, owner.cookie);
  assert.equal(moved.status, 303);
  assert.equal(moved.headers.get("location"), "/applications");
  const notes = await postForm(
    `/applications/${id}`,
    { _csrf: csrf, action: "notes", notes: "<b>bold</b>" },
    owner.cookie,
  );
  assert.equal(notes.status, 303);
  const detail = await page(`/applications/${id}`, owner.cookie);
  assert.match(detail.html, /&lt;b>bold&lt;\/b>/);
  const [row] = await db.sql`select status, notes from applications where id = ${id}`;
  assert.deepEqual({ ...row }, { status: "interviewing", notes: "<b>bold</b>" });

  const otherPage = await page(`/applications/${id}`, other.cookie);
  assert.equal(otherPage.status, 404);
  const otherBoard = await page("/applications", other.cookie);
  const otherPost = await postForm(`/applications/${id}`, {
    _csrf: csrfOf(otherBoard.html),
    action: "delete",
  }, other.cookie);
  assert.equal(otherPost.status, 404);
  assert.equal((await db.sql`select 1 from applications where id = ${id}`).length, 1);
});

Deno.test("[e2e] POST /applications/:id - start outreach from the page; the timeline shows the queued steps", async () => {
  const { cookie, token } = await createUserWithToken(server.url);
  const created = await api(server.url, "POST", "/api/applications", { token, body: { job_id: job.id } });
  const [company] = await db.sql`select company_id from jobs where id = ${job.id}`;
  const contact = await api(server.url, "POST", "/api/contacts", {
    token,
    body: {
      company_id: company.company_id,
      full_name: "Hana Manager",
      first_name: "Hana",
      email: `hana.${crypto.randomUUID().slice(0, 6)}@acme-sons.test`,
      source: "test",
    },
  });
  assert.ok(contact.status === 201 || contact.status === 200, JSON.stringify(contact.body));
  const path = `/applications/${created.body.id}`;
  const before = await page(path, cookie);
  assert.match(before.html, /No outreach yet/);
  assert.match(before.html, /<option\s+value="\d+"\s*>Hana Manager<\/option>/);
  const [sequence] = await db.sql`select id from sequence_templates where name = 'Job Seeker Default'`;
  const fields = { _csrf: csrfOf(before.html), action: "outreach", contact_id: String(contact.body.id) };

  const missing = await postForm(path, { ...fields, sequence_id: String(sequence.id) }, cookie);
  assert.equal(missing.status, 422); // {{my_metric}} comes from the resume's key metrics: none yet
  assert.match(missing.html, /variables\.my_metric/);
  assert.equal((await db.sql`select 1 from outreach where application_id = ${created.body.id}`).length, 0);

  await api(server.url, "PUT", "/api/resume", {
    token,
    body: { key_metrics: ["grew revenue 30%"], skills: ["Go"] },
  });
  const queued = await postForm(path, { ...fields, sequence_id: String(sequence.id) }, cookie);
  assert.equal(queued.status, 303);
  const after = await page(path, cookie);
  assert.match(after.html, /Step 1/);
  assert.match(after.html, /Step 3/);
  const rows = await db
    .sql`select step_no, status from outreach where application_id = ${created.body.id} order by step_no`;
  assert.deepEqual(rows.map((r) => [r.step_no, r.status]), [[1, "queued"], [2, "queued"], [3, "queued"]]);
});

Deno.test("pages - teardown", async () => {
  await server.close();
  await db.drop();
});
