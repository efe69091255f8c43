/**
 * Start and memory: process start to the first `/healthz` 200 with an
 * existing data dir (embedded PostgreSQL already initialised and migrated),
 * against a bare `Deno.serve` answering 200 (the runtime's own floor); and the
 * app's resident memory when idle.
 */
import { type AppProcess, rssMiB, startApp } from "./app_process.ts";
import type { Measurement } from "./report.ts";
import { ratio } from "./report.ts";

const HELLO = new URL("./fixtures/hello_server.ts", import.meta.url).pathname;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Measures `runs` warm starts of the app on one data dir (the first, cold
 * start initialises it and is reported apart) and of the bare server.
 */
export async function benchStartup(
  options: { runs: number; log: (line: string) => void },
): Promise<Measurement[]> {
  const dataDir = await Deno.makeTempDir({ prefix: "roleferry-bench-start-" });
  await Deno.chmod(dataDir, 0o755);
  const out: Measurement[] = [];
  try {
    const env = { ROLEFERRY_DATA_DIR: dataDir, DATABASE_URL: "" };
    const cold = await startApp(env, { timeoutMs: 120_000 });
    await cold.stop();
    options.log(`startup: cold start (init + migrate) ${cold.startMs.toFixed(0)} ms`);

    const app: number[] = [];
    const boot: number[] = [];
    const parts: Record<string, number>[] = [];
    let idle = 0;
    for (let i = 0; i < options.runs; i++) {
      const started = await startApp(env);
      app.push(started.startMs);
      boot.push(started.bootMs() ?? NaN);
      parts.push(started.bootParts() ?? {});
      if (i === options.runs - 1) idle = await idleRss(started);
      await started.stop();
    }
    const bare: number[] = [];
    let bareRss = 0;
    for (let i = 0; i < options.runs; i++) {
      const started = await startApp({}, { entry: HELLO, healthPath: "/healthz" });
      bare.push(started.startMs);
      bareRss = started.rssMiB();
      await started.stop();
    }
    const warm = median(app);
    const floor = median(bare);
    options.log(
      `startup: app ${app.map((v) => v.toFixed(0)).join(", ")} ms; bare ${bare.map((v) => v.toFixed(0))}`,
    );
    out.push({
      section: "startup",
      name: "start to /healthz 200 (existing data dir, median)",
      value: warm,
      unit: "ms",
      baseline: { name: "bare Deno.serve", value: floor },
      ratio: ratio(warm, floor),
      goal: "< 300 ms",
      met: warm < 300,
      note: `of which boot() (config, embedded PostgreSQL, migrations check, routes) ${median(boot)} ms, ` +
        `the rest module loading and the first request; cold first start (initdb + migrations) ` +
        `${cold.startMs.toFixed(0)} ms`,
    });
    // Start by part, medians over the warm starts: module loading, then each step of boot().
    for (const part of Object.keys(parts[0] ?? {})) {
      out.push({
        section: "startup",
        name: `start part: ${part}`,
        value: median(parts.map((p) => p[part] ?? NaN)),
        unit: "ms",
      });
    }
    out.push({
      section: "startup",
      name: "RSS idle",
      value: idle,
      unit: "MiB",
      baseline: { name: "bare Deno.serve", value: bareRss },
      ratio: ratio(idle, bareRss),
      goal: "< 150 MB",
      met: idle * 1.048576 < 150,
    });
    return out;
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}

/** RSS after a few idle seconds (lazy initialisation done, a few requests served). */
async function idleRss(app: AppProcess): Promise<number> {
  for (let i = 0; i < 5; i++) await (await fetch(`${app.url}/healthz`)).body?.cancel();
  await new Promise((r) => setTimeout(r, 2000));
  return rssMiB(app.pid);
}
