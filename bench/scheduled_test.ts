import assert from "node:assert/strict";
import postgres from "postgres";
import { createTestDatabase } from "@/tests/helpers/db.ts";
import { generate } from "./generate.ts";
import { benchScheduled } from "./scheduled.ts";

Deno.test("benchScheduled - equal results to the fixed loop, timed, and the data left as it was", async () => {
  const db = await createTestDatabase("bench_sched");
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    await generate(db.url, { scale: 0.001, seed: 3 });
    const before = await sql`select md5(string_agg(m::text, '|' order by id)) as h from mailboxes m`;
    const lines: string[] = [];
    const rows = await benchScheduled(db.url, (line) => lines.push(line));
    assert.equal(rows.length, 7);
    for (const row of rows.slice(0, 2)) {
      assert.ok(row.value! > 0 && row.baseline!.value! > 0, `${row.name} timed`);
      assert.match(row.note ?? "", /^0 mailboxes differ from the row-by-row loop/);
    }
    for (const row of rows.slice(2, 4)) {
      assert.match(row.name, /vs loop with the fixed formula$/);
      assert.match(
        row.note ?? "",
        /; 0 mailboxes differing from the loop/,
        "today's count, counts, score, status",
      );
    }
    assert.match(rows[5].note ?? "", /^0 mailboxes written/, "a second run writes nothing");
    assert.deepEqual([rows[6].name, rows[6].value], ["mailbox counters: drift against a full recount", 0]);
    assert.equal(
      lines.length,
      12,
      "four baselines, three runs of each job, the generated scores, the drift check",
    );
    const after = await sql`select md5(string_agg(m::text, '|' order by id)) as h from mailboxes m`;
    assert.deepEqual(after, before, "rolled back: the mailboxes are as generated");
  } finally {
    await sql.end();
    await db.drop();
  }
});
