import assert from "node:assert/strict";
import postgres from "postgres";
import { startBenchPostgres } from "./pg.ts";

Deno.test("startBenchPostgres - a throwaway server survives stop/start with its data and is removed on close", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bench-pg-test-" });
  const pg = await startBenchPostgres({ dir, throwaway: true });
  try {
    const sql = postgres(pg.urlFor("postgres"), { max: 1, onnotice: () => {} });
    await sql`create table kept (x int)`;
    await sql`insert into kept values (42)`;
    await sql.end();
    await pg.stop();
    await assert.rejects(async () => {
      const down = postgres(pg.urlFor("postgres"), { max: 1, connect_timeout: 2, onnotice: () => {} });
      try {
        await down`select 1`;
      } finally {
        await down.end();
      }
    });
    await pg.start();
    const again = postgres(pg.urlFor("postgres"), { max: 1, onnotice: () => {} });
    const [row] = await again`select x from kept`;
    await again.end();
    assert.equal(row.x, 42);
  } finally {
    await pg.close();
  }
  await assert.rejects(() => Deno.stat(dir), "the throwaway folder is gone");
});
