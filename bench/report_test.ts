import assert from "node:assert/strict";
import { formatTable, ratio, type Report } from "./report.ts";

Deno.test("ratio - rounds to two places and gives null when a side is missing", () => {
  assert.equal(ratio(3, 2), 1.5);
  assert.equal(ratio(1, 3), 0.33);
  assert.equal(ratio(null, 2), null);
  assert.equal(ratio(1, 0), null);
});

Deno.test("formatTable - one aligned row per measurement, goals marked, broken sections listed", () => {
  const report: Report = {
    started_at: "2026-01-01T00:00:00Z",
    scale: 0.001,
    machine: { cpus: 2, memory_gib: 24, os: "linux", deno: "2.9.6" },
    measurements: [
      {
        section: "search",
        name: "rate",
        value: 1234.5,
        unit: "req/s",
        baseline: { name: "pgbench", value: 2000 },
        ratio: 0.62,
        goal: ">= 0.5x",
        met: true,
      },
      {
        section: "startup",
        name: "start",
        value: 400,
        unit: "ms",
        goal: "< 300 ms",
        met: false,
        note: "slow",
      },
    ],
    errors: [{ section: "dispatch", message: "boom" }],
    seconds: 1,
  };
  const lines = formatTable(report).split("\n");
  assert.match(lines[0], /^section\s+measurement\s+value\s+baseline\s+ratio\s+goal\s+met$/);
  assert.match(lines[2], /^search\s+rate\s+1,235 req\/s\s+pgbench: 2,000\s+0.62x\s+>= 0.5x\s+yes$/);
  assert.match(lines[3], /NO$/);
  assert.ok(lines.includes("  startup/start: slow"));
  assert.ok(lines.includes("  BROKEN dispatch: boom"));
});
