/**
 * Deterministic benchmark data, generated inside PostgreSQL.
 *
 * `deno run -A bench/generate.ts --scale 0.001 --url postgres://...` (or `generate(sql, options)` from
 * bench/run.ts). Scale 1 is the full data set: 1,000,000 jobs, 100,000 companies, 50,000 users with resumes
 * and preferences, 200,000 applications, 1,000,000 contacts, 10,000 mailboxes and 10,000,000 outreach rows
 * spread over 12 months.
 *
 * Why server-side `INSERT ... SELECT generate_series`: every value is a pure function of (seed, table, row
 * number) through `hashint8extended`, a counter-based PRNG, so the rows are the same on every run and need
 * no client round trips; COPY from the client would have to compute and ship every value from the same two
 * cores (not measured side by side: 10 million outreach rows load in about 4 minutes this way).
 *
 * Bulk load: the session runs with `session_replication_role = replica` (we are the owner and superuser),
 * which disables user triggers and foreign-key triggers for this session only. The outreach triggers would
 * otherwise update `applications` once per row (10 million updates); the keys are correct by construction.
 * Timestamps are relative to the day of generation (`anchor`), recorded in `bench_meta`.
 */
import postgres from "postgres";
import bcrypt from "bcryptjs";

export type Sql = postgres.Sql;

export interface GenerateOptions {
  scale: number;
  seed?: number;
  /** Progress lines (table, rows, seconds). */
  log?: (line: string) => void;
}

export type Counts = {
  companies: number;
  jobs: number;
  users: number;
  applications: number;
  contacts: number;
  mailboxes: number;
  outreach: number;
  sessions: number;
};

/** The password of every generated user (`user<N>@bench.example`). */
export const BENCH_PASSWORD = "bench-password-1";

/** Row counts for a scale; small scales keep a floor so every query still has data. */
export function countsFor(scale: number): Counts {
  const n = (base: number, floor: number) => Math.max(floor, Math.round(base * scale));
  const users = n(50_000, 20);
  const counts: Counts = {
    companies: n(100_000, 20),
    jobs: n(1_000_000, 200),
    users,
    applications: n(200_000, 40),
    contacts: n(1_000_000, 100),
    mailboxes: n(10_000, 10),
    outreach: n(10_000_000, 1_000),
    sessions: Math.min(users, 256),
  };
  // (user, job) pairs come from (i mod users, i mod jobs): distinct for i < lcm(users, jobs) (CRT).
  if (lcm(counts.users, counts.jobs) < counts.applications) {
    throw new Error(`scale ${scale}: lcm(users, jobs) < applications, pairs would repeat`);
  }
  return counts;
}

/** The bearer token of generated session `i` (1-based); the row stores only its SHA-256. */
export async function benchToken(i: number): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`bench-session-${i}`)),
  );
  return btoa(String.fromCharCode(...digest)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The email of generated mailbox `m` (1-based), as the outreach rows name it. */
export function mailboxEmail(m: number): string {
  return `sender${m}@mb${m % 200}.bench.example`;
}

/**
 * Fills an empty, migrated database. Runs on one dedicated connection (it
 * needs session settings and temporary functions).
 */
export async function generate(url: string, options: GenerateOptions): Promise<Counts> {
  const seed = options.seed ?? 42;
  const log = options.log ?? (() => {});
  const counts = countsFor(options.scale);
  const sql = postgres(url, { max: 1, onnotice: () => {}, idle_timeout: 5 });
  try {
    await sql.unsafe(`set session_replication_role = replica;
      set maintenance_work_mem = '1GB';
      set work_mem = '256MB';
      set jit = off`);
    await sql.unsafe(helpers(seed));
    const [{ anchor }] = await sql`select date_trunc('day', now())::timestamptz as anchor`;
    const hash = bcrypt.hashSync(BENCH_PASSWORD, "$2b$04$benchbenchbenchbenchbe"); // fixed salt: same rows every run
    const step = async (name: string, rows: number, statement: string) => {
      const started = performance.now();
      await sql.unsafe(statement);
      log(
        `${name.padEnd(16)} ${String(rows).padStart(10)} rows ${
          ((performance.now() - started) / 1000).toFixed(1)
        } s`,
      );
    };
    const c = counts;
    const a = `'${anchor.toISOString()}'::timestamptz`;

    // Loading millions of rows into tables with their secondary indexes costs about twice as much as building
    // the indexes afterwards: drop them (keeping the ones behind constraints) and re-create them from their own
    // definitions once the rows are in.
    const dropped = await dropSecondaryIndexes(sql, ["jobs", "contacts", "outreach"]);
    await step("companies", c.companies, companiesSql(c, a));
    await step("jobs", c.jobs, jobsSql(c, a, await hasColumn(sql, "jobs", "skills")));
    // The load runs without triggers: fill the search vector (migration 0060) the way its trigger does.
    if (await hasColumn(sql, "jobs", "search_tsv")) {
      await step(
        "jobs search_tsv",
        c.jobs,
        `update jobs j set search_tsv = rf_job_search_tsv(j.title, c.name, j.skills, j.description)
         from companies c where c.id = j.company_id`,
      );
    }
    await step("users", c.users, usersSql(c, a, hash));
    await step("resumes", c.users, resumesSql(c));
    await step("job_preferences", c.users, preferencesSql(c));
    await step("applications", c.applications, applicationsSql(c, a));
    await step("contacts", c.contacts, contactsSql(c, a));
    await step("mailboxes", c.mailboxes, mailboxesSql(c, a));
    await preparePartitions(sql, anchor);
    const extra = await outreachExtras(sql);
    const chunks = 12;
    for (let k = 0; k < chunks; k++) {
      const from = Math.floor((c.outreach * k) / chunks) + 1;
      const to = Math.floor((c.outreach * (k + 1)) / chunks);
      await step(`outreach ${k + 1}/${chunks}`, to - from + 1, outreachSql(c, a, from, to, extra));
    }
    const rebuild = performance.now();
    for (const index of dropped) await sql.unsafe(index.def.replace(" ON ONLY ", " ON "));
    const built = ((performance.now() - rebuild) / 1000).toFixed(1);
    log(`${"indexes".padEnd(16)} ${String(dropped.length).padStart(10)} built ${built} s`);
    await step("outreach_events", Math.ceil(c.outreach / 1000), eventsSql(c, a));
    if (await tableExists(sql, "sessions")) await step("sessions", c.sessions, sessionsSql(c));
    // The mailbox counters (0085) and the funnel rollups (0080) are kept by triggers, which this bulk load runs
    // without: rebuild them once.
    if (await tableExists(sql, "mailbox_daily_stats")) {
      await step("mailbox counters", 0, "select rebuild_mailbox_daily_stats()");
    }
    if (await tableExists(sql, "outreach_funnel_daily")) {
      await step("funnel rollup", 0, "select rebuild_outreach_funnel()");
    }
    await step("sequences", 0, resetSequencesSql());
    await step("match_scores", c.applications, "refresh materialized view match_scores");
    await sql.unsafe(`create table if not exists bench_meta (key text primary key, value jsonb not null)`);
    await sql`insert into bench_meta (key, value)
      values ('generated', ${
      sql.json({ scale: options.scale, seed, anchor: anchor.toISOString(), counts: { ...c } })
    })
      on conflict (key) do update set value = excluded.value`;
    await sql.unsafe("set session_replication_role = origin");
    await step("vacuum analyze", 0, "vacuum (analyze)");
    return counts;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** What `generate` recorded in this database, if it ran. */
export async function generatedMeta(
  sql: Sql,
): Promise<{ scale: number; seed: number; counts: Counts } | undefined> {
  if (!(await tableExists(sql, "bench_meta"))) return undefined;
  const [row] = await sql`select value from bench_meta where key = 'generated'`;
  return row?.value;
}

/** Drops the indexes of `tables` that no constraint owns; returns their definitions for re-creating them. */
async function dropSecondaryIndexes(sql: Sql, tables: string[]): Promise<{ name: string; def: string }[]> {
  const indexes = await sql<{ name: string; def: string }[]>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i
    where i.indrelid = any(${tables}::regclass[])
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`;
  for (const index of indexes) await sql.unsafe(`drop index ${index.name}`);
  return indexes;
}

async function hasColumn(sql: Sql, table: string, column: string): Promise<boolean> {
  const [row] = await sql`select 1 from pg_attribute
    where attrelid = ${table}::regclass and attname = ${column} and not attisdropped`;
  return !!row;
}

async function tableExists(sql: Sql, name: string): Promise<boolean> {
  const [row] = await sql`select to_regclass(${name})::text as name`;
  return row.name !== null;
}

/**
 * When outreach is partitioned by month on queued_at (migration 0030), the 12
 * months of history get their partitions before the load (through the
 * project's `ensure_outreach_partition(month)`), so no row lands in the
 * DEFAULT partition.
 */
async function preparePartitions(sql: Sql, anchor: Date) {
  const [{ kind }] = await sql`select relkind::text as kind from pg_class where oid = 'outreach'::regclass`;
  if (kind !== "p") return;
  const [{ own }] = await sql`select to_regproc('ensure_outreach_partition') is not null as own`;
  for (let back = 13; back >= -2; back--) {
    const start = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() - back, 1));
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    const day = start.toISOString().slice(0, 10);
    if (own) {
      await sql`select ensure_outreach_partition(${day}::date)`;
      continue;
    }
    const name = `outreach_${day.slice(0, 4)}_${day.slice(5, 7)}`;
    await sql.unsafe(
      `create table if not exists ${name} partition of outreach
       for values from ('${day}') to ('${end.toISOString().slice(0, 10)}')`,
    );
  }
}

/** Temporary (session) functions: a seeded uniform [0,1) per (row, salt) and a pick from a list. */
function helpers(seed: number): string {
  return `
    create or replace function pg_temp.r(i bigint, salt int) returns float8
      language sql immutable parallel safe
      as $$ select (abs(hashint8extended(i, ${seed}::bigint * 1000003 + salt)) % 1000000007)::float8 / 1000000007 $$;
    create or replace function pg_temp.pick(arr text[], i bigint, salt int) returns text
      language sql immutable parallel safe
      as $$ select arr[1 + floor(pg_temp.r(i, salt) * array_length(arr, 1))::int] $$;
    create or replace function pg_temp.between(lo int, hi int, i bigint, salt int) returns int
      language sql immutable parallel safe
      as $$ select lo + floor(pg_temp.r(i, salt) * (hi - lo + 1))::int $$;`;
}

const WORDS = `array['Acme','Globex','Initech','Umbrella','Hooli','Vandelay','Stark','Wayne','Wonka','Tyrell',
  'Cyberdyne','Soylent','Massive','Aperture','Black Mesa','Monarch','Oscorp','Pied Piper','Dunder','Gringotts',
  'Nimbus','Vertex','Quantum','Blue Sky','Northwind','Contoso','Fabrikam','Tailspin','Litware','Adatum']`;
const SUFFIXES =
  `array['Labs','Systems','Inc','Technologies','Cloud','Analytics','Health','Robotics','Finance','AI']`;
const INDUSTRIES =
  `array['Software','Fintech','Healthcare','E-commerce','Education','Security','Gaming','Logistics',
  'Energy','Media']`;
const SIZES = `array['1-10','11-50','51-200','201-500','501-1000','1000+']`;
const TECH =
  `array['["TypeScript","PostgreSQL"]','["Go","Kubernetes"]','["Python","Django"]','["Java","Spring"]',
  '["Rust","AWS"]','["Ruby","Rails"]','["React","Node.js"]','["Scala","Spark"]']`;
const LEVELS = `array['Junior','','','Senior','Senior','Staff','Principal','Lead']`;
const ROLES =
  `array['Software Engineer','Backend Engineer','Frontend Engineer','Full Stack Engineer','Data Scientist',
  'Data Engineer','Product Manager','Product Designer','DevOps Engineer','Site Reliability Engineer',
  'Machine Learning Engineer','Engineering Manager','QA Engineer','Security Engineer','Mobile Engineer',
  'Solutions Architect','Technical Writer','Account Executive','Marketing Manager','Sales Engineer',
  'Customer Success Manager','Platform Engineer','Database Administrator','Analytics Engineer']`;
const CITIES =
  `array['San Francisco, CA','New York, NY','Austin, TX','Seattle, WA','Boston, MA','Chicago, IL',
  'Denver, CO','Los Angeles, CA','Atlanta, GA','Miami, FL','Portland, OR','London, UK','Berlin, Germany',
  'Toronto, Canada','Amsterdam, Netherlands','Paris, France','Dublin, Ireland','Remote']`;
const FIRST =
  `array['Ada','Alan','Grace','Linus','Margaret','Ken','Barbara','Dennis','Frances','John','Radia',
  'Tim','Katherine','Guido','Sophie','Bjarne','Hedy','Donald','Anita','Edsger']`;
const LAST = `array['Lovelace','Turing','Hopper','Torvalds','Hamilton','Thompson','Liskov','Ritchie','Allen',
  'McCarthy','Perlman','Berners-Lee','Johnson','van Rossum','Wilson','Stroustrup','Lamarr','Knuth','Borg',
  'Dijkstra']`;
const TITLES =
  `array['Engineering Manager','VP Engineering','CTO','Recruiter','Technical Recruiter','Head of Talent',
  'Senior Software Engineer','Director of Engineering','Founder','Product Lead']`;

function companiesSql(c: Counts, anchor: string): string {
  return `insert into companies (id, name, domain, size, industry, founded_year, funding_stage, tech_stack,
      website, glassdoor_rating, created_at)
    select i, pg_temp.pick(${WORDS}, i, 1) || ' ' || pg_temp.pick(${SUFFIXES}, i, 2) || ' ' || i,
      'c' || i || '.bench.example', pg_temp.pick(${SIZES}, i, 3), pg_temp.pick(${INDUSTRIES}, i, 4),
      pg_temp.between(1950, 2024, i, 5), pg_temp.pick(array['seed','series_a','series_b','public'], i, 6),
      pg_temp.pick(${TECH}, i, 7)::jsonb, 'https://c' || i || '.bench.example',
      round((1 + pg_temp.r(i, 8) * 4)::numeric, 1), ${anchor}
    from generate_series(1, ${c.companies}) as i`;
}

/** `skills` (migration 0011) holds what the import finds in the text: here the stack the description names. */
function jobsSql(c: Counts, anchor: string, skills: boolean): string {
  // ~8% of the jobs are expired (posted long ago), the rest posted within 60 days and live for 90.
  return `insert into jobs (id, external_id, source, title, company_id, location, remote, job_type, description,
      comp_min, comp_max, requires_visa_sponsorship, posted_date, scraped_at, expires_at${
    skills ? ", skills" : ""
  })
    select i, 'bench-' || i, 'bench', title, 1 + (i * 7 % ${c.companies}), location,
      location = 'Remote' or pg_temp.r(i, 13) < 0.15,
      pg_temp.pick(array['full-time','full-time','full-time','contract','part-time'], i, 14),
      'We are hiring a ' || title || ' in ' || location || '. You will build and run ' ||
        pg_temp.pick(${TECH}, i, 15) || ' services with a small team.',
      comp, comp + pg_temp.between(10, 60, i, 16) * 1000, pg_temp.r(i, 17) < 0.2,
      posted, posted, posted + interval '90 days'${skills ? ", pg_temp.pick(" + TECH + ", i, 15)::jsonb" : ""}
    from (
      select i, trim(pg_temp.pick(${LEVELS}, i, 10) || ' ' || pg_temp.pick(${ROLES}, i, 11)) as title,
        pg_temp.pick(${CITIES}, i, 12) as location,
        pg_temp.between(60, 200, i, 18) * 1000 as comp,
        ${anchor} - (case when pg_temp.r(i, 19) < 0.08 then 95 + pg_temp.r(i, 20) * 200
                          else pg_temp.r(i, 20) * 60 end) * interval '1 day' as posted
      from generate_series(1, ${c.jobs}) as i
    ) j`;
}

function usersSql(c: Counts, anchor: string, hash: string): string {
  return `insert into users (id, email, hashed_password, full_name, mode, subscription_tier, credits_remaining,
      created_at, email_verified, timezone)
    select i, 'user' || i || '@bench.example', '${hash}',
      pg_temp.pick(${FIRST}, i, 21) || ' ' || pg_temp.pick(${LAST}, i, 22),
      case when pg_temp.r(i, 23) < 0.9 then 'job_seeker' else 'recruiter' end,
      pg_temp.pick(array['free','free','pro','teams','enterprise'], i, 24), pg_temp.between(0, 100, i, 25),
      ${anchor} - pg_temp.r(i, 26) * interval '365 days', true, 'UTC'
    from generate_series(1, ${c.users}) as i`;
}

function resumesSql(c: Counts): string {
  return `insert into resumes (id, user_id, roles, key_metrics, accomplishments, skills, raw_text)
    select i, i, jsonb_build_array(pg_temp.pick(${ROLES}, i, 30)),
      jsonb_build_array('Cut p99 latency by ' || pg_temp.between(10, 90, i, 31) || '%'),
      jsonb_build_array('Shipped ' || pg_temp.pick(${ROLES}, i, 32) || ' projects'),
      pg_temp.pick(${TECH}, i, 33)::jsonb || pg_temp.pick(${TECH}, i, 34)::jsonb,
      'Resume of user ' || i
    from generate_series(1, ${c.users}) as i`;
}

function preferencesSql(c: Counts): string {
  // One user in ten hides two companies, so the search's hidden-company filter has work to do.
  return `insert into job_preferences (id, user_id, values, role_types, locations, remote_ok, role_levels,
      company_sizes, industries, skills, hidden_companies, min_salary, max_salary)
    select i, i, '["impact","growth"]', '["full-time"]', jsonb_build_array(pg_temp.pick(${CITIES}, i, 40)),
      pg_temp.r(i, 41) < 0.7, jsonb_build_array(pg_temp.pick(array['mid','senior','staff'], i, 42)),
      jsonb_build_array(pg_temp.pick(${SIZES}, i, 43)), jsonb_build_array(pg_temp.pick(${INDUSTRIES}, i, 44)),
      pg_temp.pick(${TECH}, i, 45)::jsonb,
      case when i % 10 = 0 then jsonb_build_array(1 + i % ${c.companies}, 1 + (i * 3) % ${c.companies})
           else '[]'::jsonb end,
      pg_temp.between(60, 120, i, 46) * 1000, 250000
    from generate_series(1, ${c.users}) as i`;
}

function applicationsSql(c: Counts, anchor: string): string {
  return `insert into applications (id, user_id, job_id, status, match_score, applied_at, last_action_at,
      notes, reply_status)
    select i, 1 + i % ${c.users}, 1 + i % ${c.jobs},
      pg_temp.pick(array['saved','applied','applied','applied','interviewing','offer','rejected'], i, 50),
      pg_temp.between(20, 100, i, 51), at, at, null,
      pg_temp.pick(array['pending','pending','replied','no_reply'], i, 52)
    from (select i, ${anchor} - pg_temp.r(i, 53) * interval '365 days' as at
          from generate_series(1, ${c.applications}) as i) a`;
}

function contactsSql(c: Counts, anchor: string): string {
  return `insert into contacts (id, company_id, first_name, last_name, full_name, title, email, email_verified,
      email_confidence, source, discovered_at, opted_out, opted_out_at)
    select i, company, first, last, first || ' ' || last, pg_temp.pick(${TITLES}, i, 62),
      lower(first) || '.' || i || '@c' || company || '.bench.example', pg_temp.r(i, 63) < 0.6,
      round(pg_temp.r(i, 64)::numeric, 2), 'bench', ${anchor} - pg_temp.r(i, 65) * interval '365 days',
      pg_temp.r(i, 66) < 0.02, case when pg_temp.r(i, 66) < 0.02 then ${anchor} end
    from (select i, 1 + i % ${c.companies} as company, pg_temp.pick(${FIRST}, i, 60) as first,
            pg_temp.pick(${LAST}, i, 61) as last
          from generate_series(1, ${c.contacts}) as i) c`;
}

function mailboxesSql(c: Counts, anchor: string): string {
  // Mostly active, warmed up, with room under the cap; a few in warmup or paused.
  return `insert into mailboxes (id, domain, email, health_score, status, warmup_enabled, warmup_start_date,
      daily_cap, sent_today, bounce_count_7d, spam_reports_7d, last_health_check, smtp_host, smtp_port,
      smtp_username, smtp_password_encrypted, created_at)
    select m, 'mb' || (m % 200) || '.bench.example', 'sender' || m || '@mb' || (m % 200) || '.bench.example',
      100, case when m % 20 = 0 then 'warmup' when m % 50 = 1 then 'paused' else 'active' end,
      true, ${anchor} - case when m % 20 = 0 then interval '5 days' else interval '120 days' end,
      pg_temp.pick(array['50','100','200'], m, 70)::int, pg_temp.between(0, 40, m, 71), 0, 0, ${anchor},
      'smtp.bench.example', 587, 'sender' || m, 'bench-not-a-real-secret', ${anchor} - interval '200 days'
    from generate_series(1, ${c.mailboxes}) as m`;
}

/**
 * Outreach rows `from..to`: history over 365 days (a mailbox in ten bounces 15%, the others 2%), plus 1%
 * queued steps scheduled in the next four days (not yet due, so they never disturb the dispatch benchmark).
 */
function outreachSql(c: Counts, anchor: string, from: number, to: number, extra: Extra): string {
  return `insert into outreach (id, application_id, contact_id, step_no, subject, body, from_mailbox, status,
      queued_at, sent_at, delivered_at, opened_at, clicked_at, replied_at, link_clicks${extra.columns})
    select i, app, 1 + (app * 5 + step) % ${c.contacts}, step,
      'Quick question about the role (' || app || ')',
      'Hi there,' || chr(10) || chr(10) || 'I spotted the opening and think my background fits. ' ||
        'Open to a brief 15-min chat?' || chr(10) || chr(10) || 'Thanks',
      'sender' || m || '@mb' || (m % 200) || '.bench.example', status, queued,
      case when status not in ('queued','canceled') then queued + interval '1 minute' end,
      case when status in ('delivered','replied') then queued + interval '2 minutes' end,
      case when status in ('delivered','replied') and pg_temp.r(i, 81) < 0.4 then queued + interval '1 hour' end,
      case when status in ('delivered','replied') and pg_temp.r(i, 81) < 0.1 then queued + interval '2 hours' end,
      case when status = 'replied' then queued + interval '1 day' end,
      case when status in ('delivered','replied') and pg_temp.r(i, 81) < 0.1 then 1 else 0 end${extra.values}
    from (
      select i, app, step, m, queued,
        case when future then 'queued'
             when u < (case when m % 10 = 0 then 0.15 else 0.02 end) then 'bounced'
             when u < 0.24 then 'replied'
             when u < 0.25 then 'failed'
             when u < 0.30 then 'canceled'
             when u < 0.60 then 'sent'
             else 'delivered' end as status
      from (
        select i, 1 + i % ${c.applications} as app, 1 + (i / ${c.applications}) % 3 as step,
          1 + (abs(hashint8extended(i, 77)) % ${c.mailboxes})::int as m, pg_temp.r(i, 82) < 0.01 as future,
          pg_temp.r(i, 83) as u,
          case when pg_temp.r(i, 82) < 0.01 then ${anchor} + interval '1 day' + pg_temp.r(i, 84) * interval '3 days'
               else ${anchor} - pg_temp.r(i, 84) * interval '365 days' end as queued
        from generate_series(${from}, ${to}) as i
      ) x
    ) o`;
}

/** Columns later migrations added to outreach (0020: due_at, mailbox_id, sequence_template_id), when present. */
interface Extra {
  columns: string;
  values: string;
}

async function outreachExtras(sql: Sql): Promise<Extra> {
  const rows = await sql<{ name: string }[]>`select attname::text as name from pg_attribute
    where attrelid = 'outreach'::regclass and attnum > 0 and not attisdropped`;
  const have = new Set(rows.map((r) => r.name));
  const wanted: [string, string][] = [
    ["due_at", "queued"],
    ["mailbox_id", "case when status not in ('queued','canceled') then m end"],
    ["sequence_template_id", "1"],
    // 0080: half the applications on each variant of a two-subject test
    ["variant", "case when app % 2 = 0 then 'A' else 'B' end"],
  ];
  const present = wanted.filter(([name]) => have.has(name));
  return {
    columns: present.map(([name]) => `, ${name}`).join(""),
    values: present.map(([, value]) => `, ${value}`).join(""),
  };
}

function eventsSql(c: Counts, anchor: string): string {
  // One complaint per thousand outreach rows, on random mailboxes over the year.
  return `insert into outreach_events (outreach_id, event, mailbox_email, contact_id, occurred_at,
      provider_event_id, payload)
    select 1 + (abs(hashint8extended(i, 90)) % ${c.outreach})::int, 'complained',
      'sender' || m || '@mb' || (m % 200) || '.bench.example', 1 + i % ${c.contacts},
      ${anchor} - pg_temp.r(i, 91) * interval '365 days', 'bench-event-' || i, '{}'::jsonb
    from (select i, 1 + (abs(hashint8extended(i, 92)) % ${c.mailboxes})::int as m
          from generate_series(1, ${Math.ceil(c.outreach / 1000)}) as i) e`;
}

function sessionsSql(c: Counts): string {
  // Token i is base64url(sha256('bench-session-' || i)); the row keeps sha256(token) as the app does.
  return `insert into sessions (user_id, token_hash, expires_at)
    select i, encode(sha256(convert_to(rtrim(translate(encode(sha256(convert_to('bench-session-' || i, 'UTF8')),
      'base64'), '+/', '-_'), '='), 'UTF8')), 'hex'), now() + interval '30 days'
    from generate_series(1, ${c.sessions}) as i`;
}

function resetSequencesSql(): string {
  return `do $$
    declare t text;
    begin
      foreach t in array array['companies','jobs','users','resumes','job_preferences','applications',
                               'contacts','mailboxes','outreach'] loop
        execute format('select setval(pg_get_serial_sequence(%L, ''id''), (select max(id) from %I))', t, t);
      end loop;
    end $$`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

if (import.meta.main) {
  const args = parseArgs(Deno.args);
  const url = args.url ?? Deno.env.get("DATABASE_URL");
  if (!url) {
    console.error(
      "usage: deno run -A bench/generate.ts --scale 0.001 --url postgres://... (or DATABASE_URL)",
    );
    Deno.exit(2);
  }
  const counts = await generate(url, { scale: args.scale, seed: args.seed, log: console.log });
  console.log(JSON.stringify(counts));
}

/** `--scale N`, `--seed N`, `--url URL`. */
export function parseArgs(args: string[]): { scale: number; seed: number; url?: string } {
  const value = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  };
  const scale = Number(value("scale") ?? 0.001);
  const seed = Number(value("seed") ?? 42);
  if (!(scale > 0 && scale <= 10)) {
    throw new Error(`--scale must be a number in (0, 10], got ${value("scale")}`);
  }
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer`);
  return { scale, seed, url: value("url") };
}
