/**
 * `deno task bench [--scale 0.001] [--seed 42] [--seconds N] [--only search,dispatch,funnel,...] [--fresh] [--dir D]`
 *
 * `--dir` is the bench PostgreSQL's folder (default `.data/bench`; one run at a time per folder).
 *
 * Prints a table and writes bench/results.json. Every number stands next to a
 * baseline measured in the same run on the same machine (see docs/benchmarks.md).
 * Goals are reported, not asserted: the exit code is non-zero only when a
 * section broke (an exception), never because a goal was missed.
 */
import postgres from "postgres";
import { benchDispatch } from "./dispatch.ts";
import { benchFunnel } from "./funnel.ts";
import { parseArgs } from "./generate.ts";
import { startBenchPostgres } from "./pg.ts";
import { formatTable, machine, type Measurement, type Report } from "./report.ts";
import { benchScheduled } from "./scheduled.ts";
import { benchSearch } from "./search.ts";
import { prepareBenchDatabase } from "./setup.ts";
import { benchStartup } from "./startup.ts";

const SECTIONS = ["startup", "scheduled", "search", "dispatch", "funnel"] as const;
type Section = typeof SECTIONS[number];

const args = parseArgs(Deno.args);
const flag = (name: string) => {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? (Deno.args[i + 1] ?? "") : undefined;
};
const only = (flag("only")?.split(",") ?? SECTIONS) as Section[];
const large = args.scale >= 0.1;
const seconds = Number(flag("seconds") ?? (large ? 20 : 4));
const began = performance.now();
const log = (line: string) =>
  console.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)}s] ${line}`);

const report: Report = {
  started_at: new Date().toISOString(),
  scale: args.scale,
  machine: machine(),
  measurements: [],
  errors: [],
  seconds: 0,
};

const root = new URL("../", import.meta.url).pathname;
const pg = await startBenchPostgres({ dir: flag("dir") ?? `${root}.data/bench`, large });
const workDir = await Deno.makeTempDir({ prefix: "roleferry-bench-" });
try {
  const db = await prepareBenchDatabase(pg, {
    scale: args.scale,
    seed: args.seed,
    fresh: Deno.args.includes("--fresh"),
    log,
  });
  report.generation = {
    seconds: db.generatedSeconds,
    reused: db.generatedSeconds === 0,
    counts: { ...db.counts },
  };
  const sections: Record<Section, () => Promise<Measurement[]>> = {
    startup: () => benchStartup({ runs: 5, log }),
    scheduled: () => benchScheduled(db.url, log),
    search: () => benchSearch({ url: db.url, counts: db.counts, seconds, connections: 64, workDir, log }),
    dispatch: () =>
      benchDispatch({
        url: db.url,
        serverUrl: pg.urlFor("postgres"),
        emails: large ? 5_000 : 1_000,
        workDir,
        log,
      }),
    funnel: () => benchFunnel(db.url, log),
  };
  for (const name of SECTIONS) {
    if (!only.includes(name)) continue;
    log(`--- ${name}`);
    try {
      report.measurements.push(...await sections[name]());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${name} BROKE: ${message}`);
      report.errors.push({ section: name, message: message.slice(0, 2000) });
    }
  }
  const info = postgres(db.url, { max: 1, onnotice: () => {} });
  const [{ version }] = await info`select version()`;
  await info.end();
  report.machine.postgres = String(version).split(" on ")[0];
} finally {
  await pg.close();
  await Deno.remove(workDir, { recursive: true }).catch(() => {});
}
report.seconds = Math.round((performance.now() - began) / 1000);
await Deno.writeTextFile(new URL("./results.json", import.meta.url), JSON.stringify(report, null, 2) + "\n");
console.log(
  `\nscale ${args.scale}, ${report.machine.cpus} CPUs, ${report.seconds} s\n${formatTable(report)}`,
);
console.log("written: bench/results.json");
Deno.exit(report.errors.length ? 1 : 0);
