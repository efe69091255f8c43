/**
 * Point-in-time recovery, drilled at small scale on Debian PostgreSQL 15 (scripts/pitr_drill.ts, also
 * `deno task pitr-drill`): WAL archive, base backup, writes, target time, a destructive DELETE, a restore to
 * the target in a new data directory; the row checksums there are those of the target time.
 */
import assert from "node:assert/strict";
import { runPitrDrill } from "@/scripts/pitr_drill.ts";
import { hasTool } from "@/scripts/system_tools.ts";
import { PG15 } from "@/scripts/pg_cluster.ts";

Deno.test({
  name:
    "[e2e] point-in-time recovery drill (PostgreSQL 15) - restored to just before the DELETE, writes kept",
  ignore: !hasTool(`${PG15}/pg_basebackup`),
  async fn() {
    const result = await runPitrDrill({ scale: 0.001, writes: 150 });
    console.log(
      JSON.stringify({ ...result, at_target: undefined, after_mistake: undefined, restored: undefined }),
    );
    assert.ok(result.victim_applications > 0, "the victim had applications to lose");
    assert.equal(result.after_mistake.victim_applications, "0", "the mistake happened on the primary");
    assert.notEqual(result.at_target.applications, result.after_mistake.applications);
    assert.deepEqual(result.restored, result.at_target, "the restored rows are those at the target time");
    assert.ok(
      Number(result.restored.victim_applications) > result.victim_applications,
      "the stream's writes are in",
    );
    assert.ok(result.wal_replayed_bytes > 0);
  },
});
