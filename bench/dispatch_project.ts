/**
 * The project's dispatcher (jobs/dispatch_outreach.ts) under the benchmark:
 * N due outreach rows to fresh contacts, sent through the Mailgun transport to
 * the loopback fake, with the caps, leases and bookkeeping of a real run. The
 * rows, contacts and mailbox counters are put back afterwards so the bench
 * database stays as generated.
 */
import postgres from "postgres";
import { type Config, loadConfig, resolveSecret } from "@/fresh.config.ts";
import { APP_ENV } from "./app_process.ts";
import type { DispatchOptions } from "./dispatch.ts";
import { type SentMessage, startFakeMailgunProcess } from "./fake_mailgun.ts";
import { resetStatements, statementTotalMs, type TopStatement, topStatements } from "./pg_stats.ts";
import type { WorkerArgs, WorkerReport } from "./dispatch_worker.ts";

/** Same in-flight count as the baselines. */
export const DISPATCH_CONCURRENCY = 16;

/** What the dispatch section measures of the dispatcher's run. */
export interface DispatcherRun {
  rate: number;
  sent: number;
  duplicates: number;
  batches: number;
  seconds: number;
  /** CPU of the dispatching process and of PostgreSQL's processes during the dispatch, ms. */
  denoCpuMs: number;
  pgCpuMs: number | null;
  /** pg_stat_statements' execution time of every statement during the dispatch, ms (null without it). */
  statementMs: number | null;
  /** The statements with the most execution time during the dispatch (reset after the set-up). */
  top: TopStatement[];
  /** Peak resident set of the dispatching process, MiB. */
  peakRssMiB: number;
}

/**
 * Sets up the due rows, then runs the dispatcher in its own process (./dispatch_worker.ts, started like
 * `deno task worker`) and reads what the database did during that dispatch alone: pg_stat_statements is
 * reset after the set-up and read as soon as the process reports.
 */
export async function dispatcherRate(
  options: DispatchOptions,
  mode: "dispatcher" | "job" = "dispatcher",
): Promise<DispatcherRun> {
  const fake = await startFakeMailgunProcess();
  const sql = postgres(options.url, { max: 1, onnotice: () => {} });
  try {
    await setUpDispatchRows(sql, options.emails);
    // Statements inside functions and triggers counted too (their callers' times include them), for the
    // dispatch's connections only (set on the database for the new connections, reset afterwards).
    const [{ db }] = await sql<{ db: string }[]>`select current_database() as db`;
    await sql.unsafe(`alter database "${db}" set pg_stat_statements.track = 'all'`).catch(() => {});
    const profiled = await resetStatements(options.url);
    const args: WorkerArgs = {
      url: options.url,
      fake: { url: fake.url, apiKey: fake.apiKey },
      emails: options.emails,
      concurrency: DISPATCH_CONCURRENCY,
      pool: WORKER_POOL,
      mode,
    };
    const report = await runWorkerProcess(args, Deno.env.get("BENCH_CPU_PROF"));
    const top = profiled ? await topStatements(options.url, 14) : [];
    const statementMs = profiled ? await statementTotalMs(options.url) : null;
    const messages: SentMessage[] = await fake.messages();
    const tokens = new Set(messages.map((m) => m.outreach));
    const duplicates = messages.length - tokens.size;
    if (messages.length !== report.sent) {
      throw new Error(`the dispatcher counted ${report.sent} sent, the fake received ${messages.length}`);
    }
    return {
      rate: report.sent / report.seconds,
      sent: report.sent,
      duplicates,
      batches: report.batches,
      seconds: report.seconds,
      denoCpuMs: report.denoCpuMs,
      pgCpuMs: report.pgCpuMs,
      statementMs,
      top,
      peakRssMiB: report.peakRssMiB,
    };
  } finally {
    await sql.unsafe(`do $$ begin execute format('alter database %I reset pg_stat_statements.track',
                        current_database()); end $$`).catch(() => {});
    await cleanUp(sql).catch(() => {});
    await sql.end();
    await fake.close();
  }
}

/** scripts/worker.ts's pool size. */
const WORKER_POOL = 4;

/**
 * `deno task worker`'s words after `deno`, with `entry` in place of scripts/worker.ts: the dispatcher runs
 * with the worker's own runtime flags (V8 settings change the memory measured).
 */
export function workerTaskArgs(entry: string): string[] {
  const { tasks } = JSON.parse(Deno.readTextFileSync(new URL("../deno.json", import.meta.url)));
  const words = String(tasks.worker).trim().split(/\s+/);
  if (words[0] !== "deno" || words.at(-1) !== "scripts/worker.ts") {
    throw new Error(`unexpected worker task: ${tasks.worker}`);
  }
  return [...words.slice(1, -1), entry];
}

/** Runs ./dispatch_worker.ts once (with `--cpu-prof` into `cpuProfDir` when given) and answers its report. */
async function runWorkerProcess(args: WorkerArgs, cpuProfDir?: string): Promise<WorkerReport> {
  const entry = new URL("./dispatch_worker.ts", import.meta.url).pathname;
  const words = workerTaskArgs(entry);
  if (cpuProfDir) words.splice(words.length - 1, 0, "--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`);
  const child = new Deno.Command(Deno.execPath(), {
    args: words,
    cwd: new URL("../", import.meta.url).pathname,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(args) + "\n"));
  await writer.close();
  const output = await child.output();
  const text = new TextDecoder().decode(output.stdout).trim();
  if (!output.success) throw new Error(`the dispatcher process failed (${output.code}): ${text.slice(-500)}`);
  return JSON.parse(text.split("\n").at(-1)!);
}

/** The app's configuration for a dispatcher sending through mailgun.js to `fake`. */
export async function dispatchConfig(url: string, fake: { apiKey: string; url: string }): Promise<Config> {
  const config = loadConfig({
    ...APP_ENV,
    DATABASE_URL: url,
    PORT: "0",
    MAIL_TRANSPORT: "mailgun",
    MAILGUN_API_KEY: fake.apiKey,
    MAILGUN_URL: fake.url,
  });
  await resolveSecret(config);
  return config;
}

/**
 * `emails` due outreach rows to fresh contacts (nobody opted out or replied) on existing applications, due a
 * minute ago, and room for all of them under the mailbox caps (still checked and counted per send). Removes
 * an earlier run's rows first.
 */
export async function setUpDispatchRows(sql: postgres.Sql, emails: number): Promise<void> {
  await sql.unsafe(`create table if not exists bench_mailboxes_snapshot as table mailboxes`);
  await cleanUp(sql);
  // Fresh contacts (nobody opted out or replied) on existing applications; due a minute ago.
  await sql`insert into contacts (company_id, full_name, email, source)
    select 1, 'Dispatch ' || i, 'dispatch' || i || '@c1.bench.example', 'bench-dispatch'
    from generate_series(1, ${emails}::int) as i`;
  await sql`insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status,
      queued_at, due_at, outreach_token, unsubscribe_token)
    select 1 + (c.n % (select count(*) from applications)::int), c.id, 1, 'Quick question about the role',
      'Hi there,' || chr(10) || 'I spotted the opening and think my background fits.' || chr(10) || 'Thanks',
      '', 'queued', now(), now() - interval '1 minute',
      'bench-dispatch-' || md5(c.id::text), 'bench-unsub-' || md5(c.id::text || 'u')
    from (select id, row_number() over (order by id)::int as n from contacts where source = 'bench-dispatch') c`;
  await sql`analyze outreach`;
  // Room for the whole batch under the caps (the caps are still checked and counted per send).
  await sql`update mailboxes set daily_cap = greatest(daily_cap, 1000000), sent_today = 0 where status = 'active'`;
}

/**
 * Removes the benchmark's rows and puts the mailbox counters back as generated, and the plan counters too: each
 * send charged its user (send_charges, usage_daily, credits), and without giving that back the runs of one day
 * pile up until the users' daily plan limits hold rows back (at 0.001, 20 users: 580 of 1,000 sent).
 */
export async function cleanUp(sql: postgres.Sql) {
  await sql`
    with charged as (
      delete from send_charges s using outreach o
      where o.outreach_token like 'bench-dispatch-%' and s.outreach_id = o.id and s.queued_at = o.queued_at
      returning s.user_id, (s.charged_at at time zone 'UTC')::date as day, s.from_credits
    ), days as (
      update usage_daily d set sends = greatest(0, d.sends - c.n)
      from (select user_id, day, count(*)::int as n from charged group by user_id, day) c
      where d.user_id = c.user_id and d.day = c.day
    )
    update users u set credits_remaining = u.credits_remaining + c.n
    from (select user_id, count(*)::int as n from charged where from_credits group by user_id) c
    where u.id = c.user_id`;
  await sql`delete from outreach where outreach_token like 'bench-dispatch-%'`;
  await sql`delete from contacts where source = 'bench-dispatch'`;
  await sql`update mailboxes m set sent_today = s.sent_today, daily_cap = s.daily_cap, last_sent_at = null,
              consecutive_failures = 0, status = s.status, health_score = s.health_score
            from bench_mailboxes_snapshot s where s.id = m.id`;
}
