/**
 * Benchmark results: one row per measurement, each against a baseline measured
 * in the same run (the machines are shared and noisy, so ratios travel better
 * than absolute numbers). Goals are reported, never asserted.
 */

export interface Measurement {
  /** Section: "search", "dispatch", "scheduled", "startup". */
  section: string;
  name: string;
  value: number | null;
  unit: string;
  /** The same work done another way in this run, when there is one. */
  baseline?: { name: string; value: number | null };
  /** value / baseline (or baseline / value for times, so that higher is better); computed by `ratio()`. */
  ratio?: number | null;
  goal?: string;
  /** null when the goal could not be judged (missing part, skipped). */
  met?: boolean | null;
  note?: string;
}

export interface Report {
  started_at: string;
  scale: number;
  machine: { cpus: number; memory_gib: number; os: string; deno: string; postgres?: string };
  generation?: { seconds: number; reused: boolean; counts: Record<string, number> };
  measurements: Measurement[];
  /** Sections that broke (an exception): these make `deno task bench` exit non-zero. */
  errors: { section: string; message: string }[];
  seconds: number;
}

/** `a / b` rounded, or null when either side is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || b === 0) return null;
  return Math.round((a / b) * 100) / 100;
}

/** The report as an aligned text table. */
export function formatTable(report: Report): string {
  const rows = [["section", "measurement", "value", "baseline", "ratio", "goal", "met"]];
  for (const m of report.measurements) {
    rows.push([
      m.section,
      m.name,
      m.value == null ? "-" : `${fmt(m.value)} ${m.unit}`,
      m.baseline ? `${m.baseline.name}: ${m.baseline.value == null ? "-" : fmt(m.baseline.value)}` : "",
      m.ratio == null ? "" : `${m.ratio}x`,
      m.goal ?? "",
      m.met == null ? (m.goal ? "?" : "") : m.met ? "yes" : "NO",
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const notes = report.measurements.filter((m) => m.note).map((m) => `  ${m.section}/${m.name}: ${m.note}`);
  const errors = report.errors.map((e) => `  BROKEN ${e.section}: ${e.message}`);
  return [...lines, ...(notes.length ? ["notes:", ...notes] : []), ...errors].join("\n");
}

function fmt(n: number): string {
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en-US");
  return String(Math.round(n * 100) / 100);
}

/** Facts about this machine for the report. */
export function machine(): Report["machine"] {
  return {
    cpus: navigator.hardwareConcurrency,
    memory_gib: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
    os: `${Deno.build.os} ${Deno.osRelease()}`,
    deno: Deno.version.deno,
  };
}
