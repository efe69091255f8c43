/**
 * Measures job-search latency at scale: `deno run -A scripts/measure_search.ts [--jobs 100000] [--runs 200]`.
 *
 * Starts a throwaway embedded PostgreSQL (or uses DATABASE_URL when set — it then writes generated rows
 * there), migrates, generates `--jobs` jobs over 2,000 companies with one INSERT ... SELECT
 * generate_series, VACUUM ANALYZEs, and times the real `searchJobs()` (RLS transaction, profile read, SQL, match
 * scoring of the page) for a mix of searches. Prints p50/p95/p99 per kind and overall, and the plan of a
 * title search. A measurement, not a test: numbers depend on the machine.
 */
import { createPool } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import { searchJobs } from "@/db/jobs.ts";
import { putPreferences } from "@/db/preferences.ts";
import { putResume } from "@/db/resumes.ts";
import { PreferencesBody } from "@/core/profile_schemas.ts";

function arg(name: string, fallback: number): number {
  const at = Deno.args.indexOf(`--${name}`);
  return at >= 0 ? Number(Deno.args[at + 1]) : fallback;
}
const JOBS = arg("jobs", 100_000);
const RUNS = arg("runs", 200);

let stop = async () => {};
let url = Deno.env.get("DATABASE_URL");
if (!url) {
  const { startEmbedded } = await import("@/db/embedded.ts");
  const dir = await Deno.makeTempDir({ prefix: "roleferry-measure-" });
  const db = await startEmbedded({ dir, throwaway: true, database: "measure" });
  url = db.url;
  stop = db.stop;
}

const sql = createPool(url, { max: 4, application: "roleferry-measure" });
try {
  await migrate(sql);
  console.error(`generating ${JOBS} jobs ...`);
  let started = performance.now();
  await sql`
    insert into companies (name, domain, size, industry, tech_stack)
    select 'Company ' || g, 'company' || g || '.measure.test',
           (array['1-10','11-50','51-200','201-500','501-1000','1001-5000','5001+'])[1 + g % 7],
           (array['Fintech','Health','Retail','Media','Energy'])[1 + g % 5],
           '["Go", "Kubernetes"]'::jsonb
    from generate_series(1, 2000) g
    on conflict (domain) do nothing`;
  await sql`
    insert into jobs (external_id, source, title, company_id, location, remote, job_type, description,
                      comp_min, comp_max, posted_date, expires_at, skills)
    select 'measure-' || g, 'measure',
           (array['Senior','Staff','Junior','','Lead'])[1 + g % 5] || ' ' ||
           case when g % 1000 = 7 then 'Kubernetes Platform Engineer'
                else (array['Backend Engineer','Data Scientist','Product Manager','Frontend Developer','Designer',
                            'Site Reliability Engineer','Sales Executive','Accountant','Mobile Developer',
                            'Support Specialist'])[1 + (g / 5) % 10] end || ' ' || g,
           (select min(id) from companies) + g % 2000,
           (array['Berlin','London','New York, NY','San Francisco, CA','Remote'])[1 + g % 5],
           g % 3 = 0, 'full-time',
           'We use Python, PostgreSQL and AWS. Job ' || g,
           60000 + (g % 100) * 1000, 90000 + (g % 100) * 1500,
           now() - (g % 720) * interval '1 hour',
           case when g % 20 = 0 then now() - interval '1 day' else now() + interval '60 days' end,
           '["Python", "PostgreSQL", "AWS"]'::jsonb
    from generate_series(1, ${JOBS}::int) g
    on conflict (external_id) do nothing`;
  // VACUUM, not only ANALYZE: a bulk insert leaves the GIN index's new entries in its pending list, which
  // every search scans linearly until (auto)vacuum merges it; production runs autovacuum.
  await sql`vacuum (analyze) companies`;
  await sql`vacuum (analyze) jobs`;
  console.error(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const [user] = await sql<{ id: number }[]>`
    insert into users (email, hashed_password, full_name) values ('measure@example.test', 'x', 'Measure')
    on conflict (email) do update set full_name = excluded.full_name returning id`;
  await putResume(sql, user.id, {
    roles: [],
    key_metrics: [],
    accomplishments: [],
    skills: ["Python", "Go", "AWS"],
  });
  await putPreferences(
    sql,
    user.id,
    PreferencesBody.parse({
      locations: ["Berlin"],
      min_salary: 100000,
      role_levels: ["senior"],
      hidden_companies: [5],
    }),
  );

  const kinds: Record<string, () => Parameters<typeof searchJobs>[2]> = {
    "q=kubernetes (0.1% of jobs)": () => ({ q: "kubernetes", limit: 20 }),
    "q=engineer (20%)": () => ({ q: "engineer", limit: 20 }),
    'q="data scientist" senior (2%)': () => ({ q: '"data scientist" senior', limit: 20 }),
    "no q, remote, comp_min": () => ({ remote: true, comp_min: 150000, limit: 20 }),
    "q=designer, location, limit 100": () => ({ q: "designer", location: "london", limit: 100 }),
  };
  // one page deep into the results, for the keyset path
  const firstPage = await searchJobs(sql, user.id, { q: "engineer", limit: 100, sort: "date" });
  kinds["q=engineer, page 2 (cursor)"] = () => ({
    q: "engineer",
    limit: 20,
    sort: "date",
    cursor: firstPage.next,
  });

  const percentile = (sorted: number[], p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const all: number[] = [];
  console.log(`search latency at ${JOBS} jobs, ${RUNS} runs per kind (ms, wall clock around searchJobs):`);
  console.log("kind".padEnd(34) + "p50".padStart(8) + "p95".padStart(8) + "p99".padStart(8) + "  items");
  for (const [name, make] of Object.entries(kinds)) {
    for (let i = 0; i < 10; i++) await searchJobs(sql, user.id, make()); // warm-up
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < RUNS; i++) {
      started = performance.now();
      const page = await searchJobs(sql, user.id, make());
      times.push(performance.now() - started);
      items = page.items.length;
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    const f = (n: number) => n.toFixed(2).padStart(8);
    console.log(
      name.padEnd(34) + f(percentile(times, 0.5)) + f(percentile(times, 0.95)) + f(percentile(times, 0.99)) +
        `  ${items}`,
    );
  }
  all.sort((a, b) => a - b);
  console.log(
    `overall`.padEnd(34) + [0.5, 0.95, 0.99].map((p) => percentile(all, p).toFixed(2).padStart(8)).join(""),
  );
  const plan = await sql`
    explain (analyze, costs off, timing off, summary off)
    select j.id from jobs j join companies c on c.id = j.company_id
    where (j.expires_at is null or j.expires_at > now()) and j.company_id <> all('{5}'::int[])
      and to_tsvector('english', j.title) @@ websearch_to_tsquery('english', 'kubernetes')
    order by j.posted_date desc nulls last, j.id desc limit 21`;
  console.log("\nplan of the rare title search:\n" + plan.map((r) => "  " + r["QUERY PLAN"]).join("\n"));
} finally {
  await sql.end({ timeout: 5 });
  await stop();
}
