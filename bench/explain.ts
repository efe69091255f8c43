/**
 * `deno run -A bench/explain.ts [--scale 1] [--dir .data/bench]`: the plans of the job searches the
 * benchmark runs, with `EXPLAIN (ANALYZE, BUFFERS)`, on the bench database of
 * that scale (generate it first with `deno task bench --scale N`). Each search
 * is replayed on one connection exactly as the request ran it (same
 * transaction, role and user setting), with its main statement explained;
 * `--all`: every statement that reads a table (the pipelined search's gated
 * pages too: a page whose gate is false shows as never executed).
 */
import postgres from "postgres";
import { generatedMeta, parseArgs } from "./generate.ts";
import { startBenchPostgres } from "./pg.ts";
import { capture } from "./search.ts";
import { databaseName } from "./setup.ts";

const args = parseArgs(Deno.args);
const root = new URL("../", import.meta.url).pathname;
const dir = Deno.args.includes("--dir") ? Deno.args[Deno.args.indexOf("--dir") + 1] : `${root}.data/bench`;
const pg = await startBenchPostgres({ dir, large: args.scale >= 0.1 });
try {
  const url = pg.urlFor(databaseName(args.scale));
  const probe = postgres(url, { max: 1, onnotice: () => {} });
  const meta = await generatedMeta(probe);
  await probe.end();
  if (!meta) {
    throw new Error(`no bench database for scale ${args.scale}: run deno task bench --scale ${args.scale}`);
  }
  const combos = await capture({ url, counts: meta.counts });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  for (const combo of combos.slice(0, combos.length / 2)) {
    console.log(`\n=== GET ${combo.path}`);
    const main = combo.statements.findIndex((s) => /from jobs j/i.test(s.text));
    const all = Deno.args.includes("--all");
    // Statement by statement on one connection, its own BEGIN and COMMIT included: a request that runs two
    // transactions (the best-match pools after the first round) is replayed as two.
    const tx = await sql.reserve();
    try {
      for (const [i, s] of combo.statements.entries()) {
        if (i !== main && !(all && /\bfrom\b/i.test(s.text))) {
          await tx.unsafe(s.text, s.params as postgres.ParameterOrJSON<never>[]);
          continue;
        }
        const plan = await tx.unsafe(`explain (analyze, buffers) ${s.text}`, s.params as never[]);
        if (all) console.log(`--- statement ${i}: ${s.text.replace(/\s+/g, " ").slice(0, 100)}`);
        console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
      }
    } finally {
      await tx.unsafe("rollback").catch(() => {});
      tx.release();
    }
  }
  await sql.end();
} finally {
  await pg.close();
}
