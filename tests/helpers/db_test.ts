import assert from "node:assert/strict";
import { useAppDatabase } from "./db.ts";

Deno.test("useAppDatabase - its pool is its own: another database opened meanwhile does not move it", async () => {
  const own = await useAppDatabase("db_own");
  try {
    const [{ name }] = await own.sql`select current_database() as name`;
    assert.equal(name, own.name);
    const other = await useAppDatabase("db_other");
    try {
      const [[viaOther], [viaOwn]] = await Promise.all([
        other.sql`select current_database() as name`,
        own.sql`select current_database() as name`,
      ]);
      assert.equal(viaOther.name, other.name);
      assert.equal(viaOwn.name, own.name, "another file's database does not move this pool");
    } finally {
      await other.drop();
    }
  } finally {
    await own.drop();
  }
});
