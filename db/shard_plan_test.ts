/**
 * The schema stays shard-ready (docs/scaling.md, "Sharding with Citus"): the migrated catalog, checked against
 * db/shard_plan.ts. And the checks themselves catch what they are for, on made-up catalogs.
 */
import assert from "node:assert/strict";
import { type Catalog, readCatalog, SHARD_PLAN, shardProblems } from "./shard_plan.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";

Deno.test("Shard plan - the migrated schema is shard-ready: tables placed, keys on user_id or explained", async () => {
  const db = await useAppDatabase("shard_plan");
  try {
    const catalog = await readCatalog(db.sql);
    assert.ok(catalog.tables.length >= 19 && catalog.uniques.length > 20 && catalog.keys.length >= 10);
    assert.deepEqual(shardProblems(catalog), []);
    // the written plan names every table the code plan places
    const doc = await Deno.readTextFile(new URL("../docs/scaling.md", import.meta.url));
    assert.deepEqual(
      Object.keys(SHARD_PLAN).filter((t) => !doc.includes(`\`${t}\``)),
      [],
      "docs/scaling.md names",
    );
  } finally {
    await db.drop();
  }
});

Deno.test("Shard plan - a tenant table without user_id, an unexplained key or a stray table is reported", () => {
  const catalog: Catalog = {
    tables: [
      { name: "users", columns: ["id", "email"] },
      { name: "notes", columns: ["id", "user_id", "body"] },
      { name: "note_tags", columns: ["id", "note_id", "tag"] },
      { name: "orphans", columns: ["id", "thing_id"] },
      { name: "audit", columns: ["id", "note_id"] },
      { name: "stray", columns: ["id"] },
    ],
    uniques: [
      { table: "notes", index: "notes_user_body", columns: ["user_id", "body"] },
      { table: "notes", index: "notes_body", columns: ["body"] },
    ],
    keys: [
      { name: "fk_notes_user", from: "notes", to: "users", cols: ["user_id"], refs: ["id"] },
      { name: "fk_tags_note", from: "note_tags", to: "notes", cols: ["note_id"], refs: ["id"] },
      { name: "fk_audit_note", from: "audit", to: "notes", cols: ["note_id"], refs: ["id"] },
    ],
  };
  const problems = shardProblems(
    catalog,
    {
      users: { kind: "distributed", column: "id" },
      notes: { kind: "distributed", column: "user_id" },
      note_tags: { kind: "via", column: "note_id", parent: "notes" },
      orphans: { kind: "via", column: "thing_id", parent: "things" },
      audit: { kind: "local", why: "test" },
    },
    {},
    {},
  );
  assert.deepEqual(problems, [
    "stray: not placed in the shard plan",
    "orphans: reached through orphans -> things, which ends at no distributed table",
    "notes.notes_body (body): unique without the distribution column",
    "fk_tags_note: note_tags (note_id) -> notes (id)",
    "fk_audit_note: audit (local) points into the tenant table notes",
  ]);
  // with reasons written down, only the unreasoned ones stay; a stale reason is reported
  const explained = shardProblems(
    { ...catalog, tables: catalog.tables.filter((t) => t.name !== "stray") },
    {
      users: { kind: "distributed", column: "id" },
      notes: { kind: "distributed", column: "user_id" },
      note_tags: { kind: "via", column: "note_id", parent: "notes" },
      orphans: { kind: "via", column: "thing_id", parent: "notes" },
      audit: { kind: "reference", why: "test" },
    },
    { notes_body: "why", notes_user_body: "not needed" },
    { fk_tags_note: "why" },
  );
  assert.deepEqual(explained, [
    "notes_user_body: a reason for an index that needs none",
    "fk_audit_note: audit (reference) points into the tenant table notes",
  ]);
});
