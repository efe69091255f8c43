import assert from "node:assert/strict";
import postgres from "postgres";
import { createTestDatabase, useAppDatabase } from "./db.ts";
import { nextXid, tablesWrittenBy } from "./writes.ts";

const db = await useAppDatabase("writes_helper");
const other = await createTestDatabase("writes_other");

Deno.test("tablesWrittenBy - a read writes nothing", async () => {
  const { value, tables } = await tablesWrittenBy(db.sql, async () => (await db.sql`select 1 as one`)[0].one);
  assert.equal(value, 1);
  assert.deepEqual(tables, []);
});

Deno.test("tablesWrittenBy - an insert, an update and a delete are each named by table", async () => {
  const inserted = await tablesWrittenBy(
    db.sql,
    () => db.sql`insert into companies (name, domain) values ('Writes Co', 'writes.example') returning id`,
  );
  assert.deepEqual(inserted.tables, ["companies"]);
  const [{ id }] = inserted.value;
  const updated = await tablesWrittenBy(
    db.sql,
    () => db.sql`update companies set name = 'Writes Inc' where id = ${id}`,
  );
  assert.deepEqual(updated.tables, ["companies"]);
  const deleted = await tablesWrittenBy(db.sql, () => db.sql`delete from companies where id = ${id}`);
  assert.deepEqual(deleted.tables, ["companies"]);
});

Deno.test("tablesWrittenBy - a write in another database of the cluster is not this database's write", async () => {
  const elsewhere = postgres(other.url, { max: 1, onnotice: () => {} });
  const xid = await nextXid(db.sql);
  const { tables } = await tablesWrittenBy(
    db.sql,
    () => elsewhere`insert into companies (name, domain) values ('Elsewhere', 'elsewhere.example')`,
  );
  assert.ok((await nextXid(db.sql)) > xid, "the cluster's transaction counter moved");
  assert.deepEqual(tables, [], "yet this database is unchanged");
  await elsewhere.end();
  await other.drop();
  await db.drop();
});
