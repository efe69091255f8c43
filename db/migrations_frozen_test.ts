/**
 * A migration is never edited once it has shipped: `migrate` refuses a database whose recorded checksum
 * differs from the file's, so an edit — even of a comment — stops every deployed instance at start. This test
 * pins the checksum of each shipped migration (db/migration_checksums.json) and fails on an edit, naming the
 * file. A new migration is added to the list when it ships (the test says how).
 */
import assert from "node:assert/strict";
import { readMigrations } from "./migrate.ts";

const PINNED = new URL("./migration_checksums.json", import.meta.url);

Deno.test("migrations - a shipped migration's text never changes", async () => {
  const pinned: Record<string, string> = JSON.parse(await Deno.readTextFile(PINNED));
  const current = new Map((await readMigrations()).map((m) => [m.name, m.checksum]));
  const changed = Object.entries(pinned)
    .filter(([name, checksum]) => current.get(name) !== checksum)
    .map(([name]) => current.has(name) ? `${name} was edited` : `${name} was removed`);
  assert.deepEqual(changed, [], "restore the shipped text; put the change in a new migration");
});

Deno.test("migrations - every migration is pinned", async () => {
  const pinned: Record<string, string> = JSON.parse(await Deno.readTextFile(PINNED));
  const unpinned = (await readMigrations()).filter((m) => !(m.name in pinned)).map((m) => m.name);
  assert.deepEqual(
    unpinned,
    [],
    `add to db/migration_checksums.json: deno eval 'import {readMigrations} from "@/db/migrate.ts"; ` +
      `console.log(JSON.stringify(Object.fromEntries((await readMigrations()).map((m) => [m.name, m.checksum])), null, 2))'`,
  );
});
