/**
 * `deno run -A bench/dispatch_explain.ts [--scale 1] [--dir .data/bench | --url postgres://…] [--emails 1000] [--timing] [--nested]`: the plans of every
 * statement the dispatcher sends, as it sends them. The benchmark's due rows are set up as the dispatch
 * section does, then one dispatcher run sends them to the fake Mailgun on connections that load
 * `auto_explain` (ANALYZE, BUFFERS, nested statements: the triggers' statements too) and hand the plans back as
 * notices. Printed per statement shape: calls, total and mean time, and the plan of its slowest call.
 */
import postgres from "postgres";
import { generatedMeta, parseArgs } from "./generate.ts";
import { startBenchPostgres } from "./pg.ts";
import { databaseName } from "./setup.ts";
import { startFakeMailgunProcess } from "./fake_mailgun.ts";
import { cleanUp, DISPATCH_CONCURRENCY, dispatchConfig, setUpDispatchRows } from "./dispatch_project.ts";
import { dispatchOutreach } from "@/services/outreach/dispatcher.ts";
import { createAppContext } from "@/app/context.ts";
import type { Sql } from "@/db/client.ts";

const args = parseArgs(Deno.args);
const flag = (name: string) => {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : undefined;
};
const root = new URL("../", import.meta.url).pathname;
const emails = Number(flag("emails") ?? 1000);
// `--url`: a bench server already running (started under the full-scale lock), else one on `--dir`.
const pg = flag("url")
  ? undefined
  : await startBenchPostgres({ dir: flag("dir") ?? `${root}.data/bench`, large: args.scale >= 0.1 });
const fake = await startFakeMailgunProcess();
try {
  const url = flag("url") ?? pg!.urlFor(databaseName(args.scale));
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  if (!(await generatedMeta(sql))) {
    throw new Error(`no bench database for scale ${args.scale}: run deno task bench --scale ${args.scale}`);
  }
  await setUpDispatchRows(sql, emails);
  const plans: { ms: number; query: string; plan: string }[] = [];
  const pool = postgres(url, {
    max: 10,
    idle_timeout: 60,
    onnotice: (notice) => {
      const m = /^duration: ([\d.]+) ms\s+plan:\nQuery Text: ([\s\S]*?)\n((?:[A-Z][\w ]+|->)[\s\S]*)$/.exec(
        String(notice.message),
      );
      if (m) plans.push({ ms: Number(m[1]), query: m[2], plan: m[3] });
    },
    connection: {
      application_name: "dispatch-explain",
      session_preload_libraries: "auto_explain",
      "auto_explain.log_min_duration": "0",
      "auto_explain.log_analyze": "on",
      "auto_explain.log_buffers": "on",
      // per-node timing costs more than some statements; the statement's own duration is still measured
      "auto_explain.log_timing": Deno.args.includes("--timing") ? "on" : "off",
      // `--nested`: the statements of functions and triggers too (each then pays for its own plan's logging)
      "auto_explain.log_nested_statements": Deno.args.includes("--nested") ? "on" : "off",
      "auto_explain.log_triggers": "on",
      "auto_explain.log_level": "notice",
    },
  }) as unknown as Sql;
  const config = await dispatchConfig(url, fake);
  const started = performance.now();
  const result = await dispatchOutreach(createAppContext(config, pool), {
    concurrency: DISPATCH_CONCURRENCY,
    maxRuntimeMs: 120_000,
  });
  const seconds = (performance.now() - started) / 1000;
  await pool.end({ timeout: 5 });
  console.log(`sent ${result.sent} of ${emails} in ${seconds.toFixed(1)} s (${result.batches} batches)`);
  const shapes = new Map<string, { calls: number; total: number; worst: (typeof plans)[number] }>();
  for (const p of plans) {
    const key = p.query.replace(/\s+/g, " ").trim().slice(0, 160);
    const s = shapes.get(key) ?? { calls: 0, total: 0, worst: p };
    s.calls++;
    s.total += p.ms;
    if (p.ms > s.worst.ms) s.worst = p;
    shapes.set(key, s);
  }
  const sorted = [...shapes.entries()].sort((a, b) => b[1].total - a[1].total);
  console.log("\nstatement (nested ones counted inside their caller too)  calls  total ms  mean ms");
  for (const [key, s] of sorted) {
    console.log(`${s.calls}\t${s.total.toFixed(0)}\t${(s.total / s.calls).toFixed(2)}\t${key}`);
  }
  for (const [key, s] of sorted.slice(0, Number(flag("plans") ?? 12))) {
    console.log(
      `\n=== ${s.calls} calls, ${s.total.toFixed(0)} ms in all: ${key}\n--- slowest (${s.worst.ms} ms):`,
    );
    console.log(s.worst.plan);
  }
  await cleanUp(sql);
  await sql.end();
} finally {
  await fake.close();
  await pg?.close();
}
