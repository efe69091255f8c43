/**
 * Scheduled jobs: the project's `reset-mailboxes` and `calculate-health`
 * (the statements db/mailbox_health.ts sends: migration 0100's functions over
 * the per-day counters of 0085) against the seed's own plpgsql and the
 * row-by-row loop with the fixed formula (bench/fixtures/seed_functions.sql),
 * on the same mailboxes and outreach rows, results compared for every mailbox.
 *
 * The state each variant starts from is the one production meets: the scores
 * the previous scheduled run left (the health run of yesterday 18:00 UTC,
 * computed from the outreach rows as they stood then) with every counter still
 * on yesterday, so the window has moved a day and six hours of sends came in
 * since. Each variant starts from that committed state on a freshly vacuumed
 * `mailboxes` (what autovacuum keeps it close to in production), runs in its
 * own transaction and is rolled back; the mailboxes are put back as generated
 * at the end (from `bench_mailboxes_as_generated`, kept in the bench database). The case where every score changes (the generated scores, which
 * are not the formula's) is reported as its own row.
 */
import postgres from "postgres";
import type { Measurement } from "./report.ts";
import { ratio } from "./report.ts";

const FIXTURE = new URL("./fixtures/seed_functions.sql", import.meta.url);
/** What is compared, per mailbox: today's count read through its day, the 7-day counts, score and status. */
const RESULT = `select id, mailbox_sent_today(sent_today, sent_today_day) as sent_today, bounce_count_7d,
  spam_reports_7d, health_score, status from mailboxes order by id`;
/** Timed runs of each project variant (the median is reported): the machine is shared and noisy. */
const REPEATS = 3;

type Sql = postgres.ReservedSql;
type Results = Map<number, string>;

interface Run {
  ms: number;
  /** Rows the job said it wrote (mailboxes re-scored). */
  written: number;
  results: Results;
  /** The same job run again right after, in the same transaction (scores current). */
  again?: { ms: number; written: number };
}

/** Runs both jobs every way and reports the times, the speed-up and the differences. */
export async function benchScheduled(url: string, log: (line: string) => void): Promise<Measurement[]> {
  const pool = postgres(url, { max: 1, onnotice: () => {} });
  const sql = await pool.reserve();
  let restoreAtEnd = false;
  try {
    await sql.unsafe(await Deno.readTextFile(FIXTURE));
    const [{ mailboxes }] = await sql`select count(*)::int as mailboxes from mailboxes`;
    const [{ today, previous }] = await sql`
      select (now() at time zone 'UTC')::date::text as today,
             (date_trunc('day', now() at time zone 'UTC') - interval '6 hours') at time zone 'UTC' as previous`;
    // The mailboxes as generated, kept in the bench database: a run stopped half-way (Ctrl-C) leaves a
    // variant's state committed, and the next run puts them back first; every run puts them back at the end.
    await sql`create table if not exists bench_mailboxes_as_generated as table mailboxes`;
    await setState(sql, "bench_mailboxes_as_generated");
    restoreAtEnd = true;
    await sql`create temp table bench_generated as table mailboxes`;
    // As the previous scheduled run left them.
    await sql`create temp table bench_previous as table mailboxes`;
    await sql`update bench_previous p set health_score = h.health_score, bounce_count_7d = h.bounce_count_7d,
      spam_reports_7d = h.spam_reports_7d, status = h.status, last_health_check = h.last_health_check
      from bench_health_as_of(${previous}::timestamptz) h where h.id = p.id`;
    // The midnight state: every counter still on the day before.
    await sql`update bench_previous set sent_today_day = ${today}::date - 1`;
    await sql`create temp table bench_all_change as table bench_generated`;
    await sql`update bench_all_change set sent_today_day = ${today}::date - 1`;
    // The counters of the day the reset drops (the window's first day - 1 is kept for the drift check), as
    // production has them at midnight; generation builds only the last eight days.
    await sql`insert into mailbox_daily_stats
      select * from mailbox_daily_stats_recount(${today}::date - 8) r where r.day = ${today}::date - 8
      on conflict do nothing`;
    // Warm the caches the same way for everyone: the 7-day slice of outreach, the events and the counters.
    await sql`select count(*) from outreach where sent_at > now() - interval '8 days'`;
    await sql`select count(*) from outreach_events where occurred_at > now() - interval '8 days'`;
    await sql`select count(*) from mailbox_daily_stats`;

    const variant = async (
      name: string,
      from: string,
      run: () => Promise<number>,
      again = false,
    ): Promise<Run> => {
      await setState(sql, from);
      await sql`begin`;
      try {
        await sql`delete from mailbox_counter_resets where day >= ${today}::date - 1`;
        const started = performance.now();
        const written = await run();
        const ms = performance.now() - started;
        const results = await read(sql);
        let second: Run["again"];
        if (again) {
          const t = performance.now();
          const n = await run();
          second = { ms: performance.now() - t, written: n };
        }
        log(
          `scheduled: ${name} ${ms.toFixed(1)} ms` + (written >= 0 ? `, ${written} mailboxes written` : "") +
            (second ? `; again ${second.ms.toFixed(1)} ms, ${second.written} written` : ""),
        );
        return { ms, written, results, again: second };
      } finally {
        await sql`rollback`;
      }
    };
    const median = async (name: string, from: string, run: () => Promise<number>, again = false) => {
      const runs: Run[] = [];
      for (let i = 0; i < REPEATS; i++) runs.push(await variant(`${name} #${i + 1}`, from, run, again));
      const sorted = [...runs].sort((a, b) => a.ms - b.ms);
      const mid = sorted[Math.floor(sorted.length / 2)];
      const same = runs.every((r) => differing(r.results, runs[0].results) === 0);
      return { ...mid, all: runs.map((r) => r.ms), same };
    };
    const nothing = async (q: Promise<unknown>) => (await q, -1);

    // Baselines first, each from the same state.
    const seed = {
      reset: await variant(
        "seed_reset",
        "bench_previous",
        () => nothing(sql`select bench_seed_reset_mailbox_daily_counters()`),
      ),
      health: await variant(
        "seed_health",
        "bench_previous",
        () => nothing(sql`select bench_seed_calculate_mailbox_health()`),
      ),
    };
    const loop = {
      reset: await variant(
        "loop_reset",
        "bench_previous",
        () => nothing(sql`select bench_loop_reset_mailbox_daily_counters()`),
      ),
      health: await variant(
        "loop_health",
        "bench_previous",
        () => nothing(sql`select bench_loop_calculate_mailbox_health()`),
      ),
    };
    // The statements db/mailbox_health.ts sends for the two jobs.
    const resetJob = async () => {
      const [r] =
        await sql`select counters_reset, health_updated from reset_mailbox_daily_counters(${today}::date)`;
      return r.health_updated as number;
    };
    const healthJob = async () => {
      const [r] = await sql`select calculate_mailbox_health() as n`;
      return r.n as number;
    };
    const project = {
      reset: await median("project_reset", "bench_previous", resetJob),
      health: await median("project_health", "bench_previous", healthJob, true),
      allChange: await variant("project_health, generated scores", "bench_all_change", healthJob),
    };
    const driftStarted = performance.now();
    const [{ drift }] = await sql`select count(*)::int as drift from check_mailbox_daily_stats()`;
    const driftMs = performance.now() - driftStarted;
    log(`scheduled: counter drift ${drift} cells (recount ${driftMs.toFixed(0)} ms)`);

    const resetVsLoop = differing(project.reset.results, loop.reset.results);
    const healthVsLoop = differing(project.health.results, loop.health.results);
    const resetVsSeed = differing(project.reset.results, seed.reset.results);
    const healthVsSeed = differing(project.health.results, seed.health.results);
    const times = (all: number[]) => all.map((ms) => ms.toFixed(1)).join(", ");
    const seedRow = (name: string, ms: number, base: number, vsLoop: number, vsSeed: number) =>
      ({
        section: "scheduled",
        name: `${name} (${mailboxes} mailboxes)`,
        value: round(ms),
        unit: "ms",
        baseline: { name: "seed plpgsql", value: round(base) },
        ratio: ratio(base, ms),
        // The first round's goal; issue 15 measures against the fixed loop (next rows): the seed's health loop
        // never reads outreach (its defect), so it is cheap and wrong, and its time is context, not a goal.
        note: `${vsLoop} mailboxes differ from the row-by-row loop with the same (fixed) formula; ` +
          `${vsSeed} differ from the seed's own formula (defective: complaints counted as status 'spam', ` +
          `bounce rate over sent_today)`,
      }) satisfies Measurement;
    const loopRow = (
      name: string,
      p: Run & { all: number[]; same: boolean },
      base: number,
      vsLoop: number,
    ) =>
      ({
        section: "scheduled",
        name: `${name} vs loop with the fixed formula`,
        value: round(p.ms),
        unit: "ms",
        baseline: { name: "0001 plpgsql loop", value: round(base) },
        ratio: ratio(base, p.ms),
        goal: "< 100 ms, 20x the loop, equal results",
        met: p.ms < 100 && base / p.ms >= 20 && vsLoop === 0 && p.same,
        note: `median of ${p.all.length} (${times(p.all)} ms); ${p.written} mailboxes written; ` +
          `${vsLoop} mailboxes differing from the loop (today's count, 7-day counts, score, status); ` +
          `from the scores of yesterday 18:00 UTC's run, counters on yesterday`,
      }) satisfies Measurement;
    return [
      seedRow("reset-mailboxes", project.reset.ms, seed.reset.ms, resetVsLoop, resetVsSeed),
      seedRow("calculate-health", project.health.ms, seed.health.ms, healthVsLoop, healthVsSeed),
      loopRow("reset-mailboxes", project.reset, loop.reset.ms, resetVsLoop),
      loopRow("calculate-health", project.health, loop.health.ms, healthVsLoop),
      {
        section: "scheduled",
        name: "calculate-health from the generated scores (not the formula's)",
        value: round(project.allChange.ms),
        unit: "ms",
        baseline: { name: "0001 plpgsql loop", value: round(loop.health.ms) },
        ratio: ratio(loop.health.ms, project.allChange.ms),
        note: `${project.allChange.written} mailboxes written`,
      },
      {
        section: "scheduled",
        name: "calculate-health, second run (scores current)",
        value: round(project.health.again!.ms),
        unit: "ms",
        baseline: { name: "0001 plpgsql loop", value: round(loop.health.ms) },
        ratio: ratio(loop.health.ms, project.health.again!.ms),
        note: `${project.health.again!.written} mailboxes written`,
      },
      {
        section: "scheduled",
        name: "mailbox counters: drift against a full recount",
        value: drift,
        unit: "cells",
        goal: "0",
        met: drift === 0,
        note: `recount of the window took ${driftMs.toFixed(0)} ms`,
      },
    ];
  } finally {
    await sql`rollback`.catch(() => {});
    if (restoreAtEnd) {
      await setState(sql, "bench_mailboxes_as_generated");
      // What the reset would drop anyway (the set-up added the oldest day).
      await sql`delete from mailbox_daily_stats
        where day < mailbox_window_start((now() at time zone 'UTC')::date) - 1`;
    }
    sql.release();
    await pool.end();
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Mailboxes whose compared values differ between two runs. */
function differing(a: Results, b: Results): number {
  let n = 0;
  for (const [id, row] of a) if (b.get(id) !== row) n++;
  for (const id of b.keys()) if (!a.has(id)) n++;
  return n;
}

async function read(sql: Sql): Promise<Results> {
  const rows = await sql.unsafe(RESULT);
  return new Map(rows.map((r) => [r.id as number, JSON.stringify(r)]));
}

/**
 * Puts `mailboxes` in the state of snapshot `from` (committed: only the rows that differ are written), then
 * vacuums it, so every variant starts from the same rows on a table without dead row versions.
 */
async function setState(sql: Sql, from: string) {
  const columns = (await sql<{ name: string }[]>`select attname::text as name from pg_attribute
    where attrelid = ${from}::regclass and attnum > 0 and not attisdropped and attname <> 'id'`)
    .map((r) => r.name);
  const list = columns.join(", ");
  const theirs = columns.map((c) => `s.${c}`).join(", ");
  await sql.unsafe(
    `update mailboxes m set (${list}) = (${theirs}) from ${from} s
    where s.id = m.id and (${columns.map((c) => `m.${c}`).join(", ")}) is distinct from (${theirs})`,
  );
  await sql`vacuum mailboxes`;
}
