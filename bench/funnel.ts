/**
 * Campaign funnels: a user's funnel and the admin's all-user funnel read from
 * the rollups that migration 0080's triggers keep, against the same numbers
 * computed by scanning outreach (the baseline the rollup replaces), one client,
 * on the bench data. Also the drift of the rollups against a full recount.
 *
 * The user funnel goes through the app's own function (`getSequenceFunnel`,
 * under RLS as app_user); the scan baseline runs the equivalent grouped query
 * over that user's outreach as the owner.
 */
import postgres from "postgres";
import { createPool } from "@/db/client.ts";
import { checkFunnelDrift, getSequenceFunnel, getTemplateFunnel } from "@/db/funnels.ts";
import type { Measurement } from "./report.ts";
import { ratio } from "./report.ts";

const TEMPLATE = 1;

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

export async function benchFunnel(
  url: string,
  log: (line: string) => void,
  options: { users?: number } = {},
): Promise<Measurement[]> {
  const owner = postgres(url, { max: 1, onnotice: () => {} });
  const pool = createPool(url, { max: 2 });
  try {
    const [{ cells }] = await owner<{ cells: string }[]>`select count(*) as cells from outreach_funnel_daily`;
    const [{ rows }] = await owner<{ rows: string }[]>`
      select count(*) as rows from outreach where sequence_template_id is not null`;
    if (Number(cells) === 0 && Number(rows) > 0) {
      const ms = await timed(() => owner`select rebuild_outreach_funnel()`);
      log(`funnel: rollup rebuilt from ${rows} rows in ${ms.toFixed(0)} ms (the data was bulk-loaded)`);
    }
    const users = (await owner<{ user_id: number }[]>`
      select distinct a.user_id from applications a
      order by 1 limit ${options.users ?? 200}`).map((r) => r.user_id);

    // Warm both paths once, then alternate them user by user so that noise hits both alike.
    await getSequenceFunnel(pool, users[0], TEMPLATE, "all");
    await scanUserFunnel(owner, users[0]);
    const rollup: number[] = [], scan: number[] = [];
    // At least 200 samples: small scales have fewer users, so each is asked again.
    const rounds = Math.max(1, Math.ceil(200 / users.length));
    for (const userId of Array.from({ length: rounds }, () => users).flat()) {
      rollup.push(await timed(() => getSequenceFunnel(pool, userId, TEMPLATE, "all")));
      scan.push(await timed(() => scanUserFunnel(owner, userId)));
    }
    const userP99 = p99(rollup), scanP99 = p99(scan);
    log(
      `funnel: user funnel p99 ${userP99.toFixed(1)} ms (scan ${
        scanP99.toFixed(1)
      } ms), ${rollup.length} requests`,
    );

    const admin: number[] = [];
    for (let i = 0; i < 5; i++) admin.push(await timed(() => getTemplateFunnel(pool, TEMPLATE, "all")));
    const adminMs = Math.max(...admin);
    const adminScan = await timed(() =>
      owner`
      select step_no, coalesce(variant, '') as variant, count(*), count(sent_at), count(delivered_at),
             count(opened_at), count(clicked_at), count(replied_at), count(*) filter (where status = 'bounced')
      from outreach where sequence_template_id = ${TEMPLATE} group by 1, 2`
    );
    log(`funnel: admin funnel ${adminMs.toFixed(1)} ms (scan ${adminScan.toFixed(0)} ms)`);

    const driftMs = performance.now();
    const drift = await checkFunnelDrift(pool);
    log(`funnel: drift ${drift.cells} cells (full recount ${(performance.now() - driftMs).toFixed(0)} ms)`);

    return [
      {
        section: "funnel",
        name: "user funnel p99 (one client)",
        value: Math.round(userP99 * 100) / 100,
        unit: "ms",
        baseline: { name: "scan of the user's outreach p99", value: Math.round(scanP99 * 100) / 100 },
        ratio: ratio(scanP99, userP99),
        goal: "< 50 ms at 10M outreach rows",
        met: userP99 < 50,
        note:
          `${rollup.length} requests over ${users.length} users, ${rows} outreach rows, ${cells} rollup cells`,
      },
      {
        section: "funnel",
        name: "admin all-user funnel (slowest of 5)",
        value: Math.round(adminMs * 100) / 100,
        unit: "ms",
        baseline: { name: "scan of all outreach", value: Math.round(adminScan) },
        ratio: ratio(adminScan, adminMs),
        goal: "< 2000 ms at 10M outreach rows",
        met: adminMs < 2000,
      },
      {
        section: "funnel",
        name: "rollup drift against a full recount",
        value: drift.cells,
        unit: "cells",
        goal: "0",
        met: drift.cells === 0,
      },
    ];
  } finally {
    await pool.end({ timeout: 5 });
    await owner.end({ timeout: 5 });
  }
}

/** The same per-step counts as the rollup gives, by scanning the user's outreach. */
function scanUserFunnel(sql: postgres.Sql, userId: number) {
  return sql`
    select o.step_no, coalesce(o.variant, '') as variant, count(*), count(o.sent_at), count(o.delivered_at),
           count(o.opened_at), count(o.clicked_at), count(o.replied_at),
           count(*) filter (where o.status = 'bounced'),
           count(*) filter (where exists (
             select 1 from outreach_events e where e.outreach_id = o.id and e.event = 'unsubscribed'))
    from applications a join outreach o on o.application_id = a.id
    where a.user_id = ${userId}::int and o.sequence_template_id = ${TEMPLATE}
    group by 1, 2`;
}
