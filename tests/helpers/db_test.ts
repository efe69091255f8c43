import assert from "node:assert/strict";
import { useAppDatabase } from "./db.ts";
import { sql as globalSql } from "@/db/client.ts";

Deno.test("useAppDatabase - its pool is its own; the global pool is connected only when not declined", async () => {
  const own = await useAppDatabase("db_own", { globalPool: false });
  try {
    const [{ name }] = await own.sql`select current_database() as name`;
    assert.equal(name, own.name);
    assert.throws(() => globalSql`select 1`, /not connected/, "the global pool was left alone");
    const shared = await useAppDatabase("db_shared");
    try {
      const [[viaGlobal], [viaOwn]] = await Promise.all([
        globalSql`select current_database() as name`,
        own.sql`select current_database() as name`,
      ]);
      assert.equal(viaGlobal.name, shared.name);
      assert.equal(viaOwn.name, own.name, "another file's database does not move this pool");
    } finally {
      await shared.drop();
    }
  } finally {
    await own.drop();
  }
});
