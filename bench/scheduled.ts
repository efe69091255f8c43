/**
 * Scheduled jobs: the project's set-based counter reset and health score
 * (migration 0032's functions, called with the statements db/mailbox_health.ts sends)
 * against the seed's row-by-row plpgsql (bench/fixtures/seed_functions.sql) on
 * the same mailboxes and outreach rows. Every variant starts from the same
 * snapshot of `mailboxes`, and the results are compared column by column.
 */
import postgres from "postgres";
import type { Measurement } from "./report.ts";
import { ratio } from "./report.ts";

const FIXTURE = new URL("./fixtures/seed_functions.sql", import.meta.url);
const COLUMNS = ["sent_today", "bounce_count_7d", "spam_reports_7d", "health_score", "status"];

type Sql = postgres.ReservedSql;

/**
 * Runs both jobs three ways and reports the times, the speed-up and the
 * differences. Everything happens in one transaction that is rolled back:
 * `now()` is then the same instant for every variant (the 7-day window cannot
 * move between them), and the bench data is left as generated.
 */
export async function benchScheduled(url: string, log: (line: string) => void): Promise<Measurement[]> {
  const pool = postgres(url, { max: 1, onnotice: () => {} });
  const sql = await pool.reserve();
  try {
    await sql.unsafe(await Deno.readTextFile(FIXTURE));
    await sql`begin`;
    await sql.unsafe(
      `create temp table bench_result (variant text, id int, sent_today int, bounce_count_7d int,
      spam_reports_7d int, health_score int, status text) on commit drop`,
    );
    await sql.unsafe(`create temp table bench_snapshot on commit drop as table mailboxes`);
    // The state the midnight reset meets: every counter still holds the day before's sends.
    await sql`update bench_snapshot set sent_today_day = (now() at time zone 'UTC')::date - 1`;
    // Warm the caches the same way for everyone: the 7-day slice of outreach and the events.
    await sql`select count(*) from outreach where sent_at > now() - interval '7 days'`;
    await sql`select count(*) from outreach_events where occurred_at > now() - interval '7 days'`;
    const [{ mailboxes }] = await sql`select count(*)::int as mailboxes from mailboxes`;

    const time = async (variant: string, run: () => Promise<unknown>) => {
      await restore(sql);
      const started = performance.now();
      await run();
      const ms = performance.now() - started;
      await sql.unsafe(
        `insert into bench_result select '${variant}', id, ${COLUMNS.join(", ")} from mailboxes`,
      );
      log(`scheduled: ${variant} ${ms.toFixed(0)} ms`);
      return ms;
    };
    const today = new Date().toISOString().slice(0, 10);
    // Baselines first: every variant leaves dead row versions behind in this transaction, so the ones run
    // later (the project's) read a slightly larger mailboxes table. The comparison errs against the project.
    const seed = {
      reset: await time("seed_reset", () => sql`select bench_seed_reset_mailbox_daily_counters()`),
      health: await time("seed_health", () => sql`select bench_seed_calculate_mailbox_health()`),
    };
    const loop = {
      reset: await time("loop_reset", () => sql`select bench_loop_reset_mailbox_daily_counters()`),
      health: await time("loop_health", () => sql`select bench_loop_calculate_mailbox_health()`),
    };
    // The statements db/mailbox_health.ts sends for the two jobs (migration 0085's functions: per-day counters).
    const project = {
      reset: await time(
        "project_reset",
        () => sql`select * from reset_mailbox_daily_counters(${today}::date)`,
      ),
      health: await time("project_health", () => sql`select calculate_mailbox_health()`),
    };
    // The state the jobs meet in production: the scores of the run before are current, so a run writes only
    // the few mailboxes whose numbers moved.
    const started = performance.now();
    const [{ changed }] = await sql`select calculate_mailbox_health() as changed`;
    const steadyHealth = performance.now() - started;
    log(`scheduled: project_health, second run ${steadyHealth.toFixed(0)} ms, ${changed} mailboxes written`);
    const driftStarted = performance.now();
    const [{ drift }] = await sql`select count(*)::int as drift from check_mailbox_daily_stats()`;
    const driftMs = performance.now() - driftStarted;
    log(`scheduled: counter drift ${drift} cells (recount ${driftMs.toFixed(0)} ms)`);
    const diff = async (a: string, b: string) => {
      const [row] = await sql.unsafe(
        `select count(*)::int as n from bench_result x join bench_result y using (id)
        where x.variant = '${a}' and y.variant = '${b}'
          and (${COLUMNS.map((c) => `x.${c} is distinct from y.${c}`).join(" or ")})`,
      );
      return row.n as number;
    };
    const resetVsLoop = await diff("project_reset", "loop_reset");
    const healthVsLoop = await diff("project_health", "loop_health");
    const resetVsSeed = await diff("project_reset", "seed_reset");
    const healthVsSeed = await diff("project_health", "seed_health");
    const row = (
      name: string,
      ms: number,
      baseName: string,
      baseMs: number,
      differing: number,
      seedDiff: number,
    ) =>
      ({
        section: "scheduled",
        name: `${name} (${mailboxes} mailboxes)`,
        value: ms,
        unit: "ms",
        baseline: { name: baseName, value: baseMs },
        ratio: ratio(baseMs, ms),
        goal: "20x faster, equal results",
        met: baseMs / ms >= 20 && differing === 0,
        note: `${differing} mailboxes differ from the row-by-row loop with the same (fixed) formula; ` +
          `${seedDiff} differ from the seed's own formula (defective: complaints counted as status 'spam', ` +
          `bounce rate over sent_today)`,
      }) satisfies Measurement;
    return [
      row("reset-mailboxes", project.reset, "seed plpgsql", seed.reset, resetVsLoop, resetVsSeed),
      row("calculate-health", project.health, "seed plpgsql", seed.health, healthVsLoop, healthVsSeed),
      {
        section: "scheduled",
        name: "reset-mailboxes vs loop with the fixed formula",
        value: project.reset,
        unit: "ms",
        baseline: { name: "0001 plpgsql loop", value: loop.reset },
        ratio: ratio(loop.reset, project.reset),
        goal: "< 100 ms, 20x the loop",
        met: project.reset < 100 && loop.reset / project.reset >= 20,
      },
      {
        section: "scheduled",
        name: "calculate-health vs loop with the fixed formula",
        value: project.health,
        unit: "ms",
        baseline: { name: "0001 plpgsql loop", value: loop.health },
        ratio: ratio(loop.health, project.health),
        goal: "< 100 ms, 20x the loop",
        met: project.health < 100 && loop.health / project.health >= 20,
      },
      {
        section: "scheduled",
        name: "calculate-health, second run (scores current)",
        value: Math.round(steadyHealth * 10) / 10,
        unit: "ms",
        baseline: { name: "0001 plpgsql loop", value: loop.health },
        ratio: ratio(loop.health, steadyHealth),
        note: `${changed} mailboxes written`,
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
    sql.release();
    await pool.end();
  }
}

/** Puts mailboxes back as they were when the transaction began and forgets which days were reset. */
async function restore(sql: Sql) {
  const columns = (await sql<{ name: string }[]>`select attname::text as name from pg_attribute
    where attrelid = 'bench_snapshot'::regclass and attnum > 0 and not attisdropped and attname <> 'id'`)
    .map((r) => r.name);
  await sql.unsafe(
    `update mailboxes m set (${columns.join(", ")}) = (${columns.map((c) => `s.${c}`).join(", ")})
    from bench_snapshot s where s.id = m.id`,
  );
  if ((await sql`select to_regclass('mailbox_counter_resets') is not null as ok`)[0].ok) {
    await sql`delete from mailbox_counter_resets`;
  }
}
