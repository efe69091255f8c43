/**
 * `deno task build`: the island bundles, ahead of time, into static/build/
 * (content-hashed names and a manifest). `start` builds them when missing; on
 * Deno Deploy, which cannot run esbuild, this output is what gets served.
 */
import { fileURLToPath } from "node:url";
import { buildIslands } from "@/fresh/mod.ts";

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const started = performance.now();
const manifest = await buildIslands({ islandsDir: root("islands"), outDir: root("static/build") });
console.log(
  JSON.stringify({ msg: "built island bundles", ms: Math.round(performance.now() - started), manifest }),
);
