import assert from "node:assert/strict";
import { join } from "node:path";
import { findIslandFiles, isModuleFile, walkFiles } from "./crawl.ts";

Deno.test("walkFiles - lists files sorted, skipping dot files and given folders", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const rel of ["b.txt", "a/c.ts", ".hidden", "skip/x.js"]) {
      await Deno.mkdir(join(dir, rel, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, rel), "");
    }
    assert.deepEqual(await walkFiles(dir, [join(dir, "skip")]), ["a/c.ts", "b.txt"]);
    assert.deepEqual(await walkFiles(join(dir, "missing")), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("isModuleFile - takes code files but not tests or declarations", () => {
  assert.equal(isModuleFile("users/[id].tsx"), true);
  assert.equal(isModuleFile("api/echo_test.ts"), false);
  assert.equal(isModuleFile("types.d.ts"), false);
  assert.equal(isModuleFile("styles.css"), false);
});

Deno.test("findIslandFiles - requires PascalCase names", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "counter.tsx"), "");
    await assert.rejects(findIslandFiles(dir), /must be PascalCase/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
