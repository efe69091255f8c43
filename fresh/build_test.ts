import assert from "node:assert/strict";
import { join } from "node:path";
import { prepareClientBuild } from "./assets.ts";
import { buildIslands, isStale, readManifest } from "./build.ts";

/** A throwaway project: an islands folder with one island that imports preact hooks and a shared module. */
async function project(): Promise<{ islandsDir: string; outDir: string; root: string }> {
  const root = await Deno.makeTempDir({
    prefix: "fresh-build-test-",
    dir: join(import.meta.dirname!, "testdata"),
  });
  const islandsDir = join(root, "islands");
  await Deno.mkdir(islandsDir);
  await Deno.writeTextFile(join(root, "shared.ts"), `export const step = 1;\n`);
  await Deno.writeTextFile(
    join(islandsDir, "Clicker.tsx"),
    `import { useState } from "preact/hooks";\nimport { step } from "../shared.ts";\n` +
      `export default function Clicker() { const [n, set] = useState(0); ` +
      `return <button onClick={() => set(n + step)}>{n}</button>; }\n`,
  );
  return { root, islandsDir, outDir: join(root, "build") };
}

Deno.test("buildIslands - writes content-hashed ESM with a shared chunk and a manifest", async () => {
  const p = await project();
  try {
    const manifest = await buildIslands(p);
    assert.match(manifest.boot, /^boot-[A-Z0-9]{8}\.js$/);
    assert.match(manifest.islands.Clicker, /^Clicker-[A-Z0-9]{8}\.js$/);
    const chunks = manifest.files.filter((f) => f.startsWith("chunk-"));
    assert.ok(chunks.length >= 1, "preact is split into a shared chunk");
    assert.ok(manifest.imports[manifest.islands.Clicker].some((f) => chunks.includes(f)));
    assert.deepEqual(
      Object.keys(manifest.inputs).sort(),
      ["../../client/boot.ts", "../../props_codec.ts", "islands/Clicker.tsx", "shared.ts"].sort(),
    );
    assert.deepEqual(await readManifest(p.outDir), manifest);
    const island = await Deno.readTextFile(join(p.outDir, manifest.islands.Clicker));
    assert.match(island, /^import\{/);
    assert.equal(island.includes("\n  "), false, "minified");
  } finally {
    await Deno.remove(p.root, { recursive: true });
  }
});

Deno.test("isStale - a build goes stale when an input's content or the island set changes", async () => {
  const p = await project();
  try {
    const manifest = await buildIslands(p);
    assert.equal(await isStale(manifest, p), false);
    await Deno.writeTextFile(join(p.root, "shared.ts"), `export const step = 2;\n`);
    assert.equal(await isStale(manifest, p), true);
    const rebuilt = await buildIslands(p);
    assert.equal(await isStale(rebuilt, p), false);
    assert.notEqual(rebuilt.islands.Clicker, manifest.islands.Clicker);
    const left = [...Deno.readDirSync(p.outDir)].map((e) => e.name);
    assert.equal(left.includes(manifest.islands.Clicker), false, "the old island file is removed");
    await Deno.writeTextFile(
      join(p.islandsDir, "Other.tsx"),
      `export default function Other() { return null; }\n`,
    );
    assert.equal(await isStale(rebuilt, p), true);
  } finally {
    await Deno.remove(p.root, { recursive: true });
  }
});

Deno.test("prepareClientBuild - never builds with build: never, and says to run the build task", async () => {
  const p = await project();
  try {
    await assert.rejects(
      prepareClientBuild({ islandsDir: p.islandsDir, buildDir: p.outDir, mode: "never" }),
      /no client build in .*: run `deno task build` first/,
    );
    await buildIslands(p);
    const build = await prepareClientBuild({ islandsDir: p.islandsDir, buildDir: p.outDir, mode: "never" });
    assert.ok(build && build.files.size === build.manifest.files.length);
  } finally {
    await Deno.remove(p.root, { recursive: true });
  }
});

Deno.test("prepareClientBuild - an app without islands needs no build", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(
      await prepareClientBuild({ islandsDir: join(dir, "islands"), buildDir: dir, mode: "always" }),
      null,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
