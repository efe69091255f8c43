import assert from "node:assert/strict";
import { join } from "node:path";
import { splitPath } from "./route_path.ts";
import { ensureRoute, findRoute, loadRoutes, middlewaresFor, warmRoutes } from "./route_table.ts";
import { fixtureDir } from "@/fresh/testdata/serve.ts";

async function routesDir(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "fresh-routes-" });
  for (const [rel, text] of Object.entries(files)) {
    await Deno.mkdir(join(dir, rel, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, rel), text);
  }
  return dir;
}

Deno.test("loadRoutes - orders the fixture routes by precedence and keeps chains per route", async () => {
  const table = await loadRoutes(fixtureDir("routes"));
  const patterns = table.routes.map((r) => r.pattern);
  assert.ok(patterns.indexOf("/users/new") < patterns.indexOf("/users/:id"));
  assert.ok(patterns.indexOf("/docs/:slug") < patterns.indexOf("/docs/*rest"));
  const user = findRoute(table, splitPath("/users/9"))!;
  assert.equal(user.route.file, "users/[id].tsx");
  assert.deepEqual(user.params, { id: "9" });
  assert.equal(user.route.layouts.length, 2);
  assert.equal(user.route.middlewares.length, 3);
  assert.ok(table.app && table.notFound && table.error);
  assert.equal(middlewaresFor(table, splitPath("/api/unknown")).length, 2);
  assert.equal(middlewaresFor(table, splitPath("/unknown")).length, 1);
});

Deno.test("loadRoutes - rejects two files that answer the same pattern", async () => {
  const dir = await routesDir({
    "about.ts": "export const handler = () => new Response('a');",
    "(site)/about.ts": "export const handler = () => new Response('b');",
  });
  try {
    await assert.rejects(loadRoutes(dir), /both answer \/about/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadRoutes - rejects a handler object with a key that is not a method", async () => {
  const dir = await routesDir({ "x.ts": "export const handler = { get: () => new Response('x') };" });
  try {
    await assert.rejects(loadRoutes(dir), /handler\.get is not a method handler/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadRoutes - rejects a route file with neither handler nor page", async () => {
  const dir = await routesDir({ "empty.ts": "export const nothing = 1;" });
  try {
    await assert.rejects(loadRoutes(dir), /export a handler, a default page component, or both/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadRoutes - lazy: a route module is imported on first use; warmRoutes names a malformed one", async () => {
  const dir = await routesDir({
    "_middleware.ts": "export const handler = (ctx) => ctx.next();",
    "ok.ts": "globalThis.__okImported = true; export const handler = () => new Response('ok');",
    "broken.ts": "export const nothing = 1;",
  });
  const marker = globalThis as { __okImported?: boolean };
  try {
    const table = await loadRoutes(dir, { lazy: true });
    assert.equal(marker.__okImported, undefined, "no route module imported at load");
    assert.equal(table.routes.length, 2);
    const ok = findRoute(table, splitPath("/ok"))!.route;
    assert.equal(ok.handler, undefined);
    await ensureRoute(ok);
    assert.equal(marker.__okImported, true);
    assert.equal(typeof ok.handler, "function");
    const errors = await warmRoutes(table);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /broken\.ts: export a handler, a default page component, or both/);
  } finally {
    delete marker.__okImported;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findRoute - a static route is found by its decoded path and beats params; escaped slashes never match it", async () => {
  const dir = await routesDir({
    "users/new.ts": "export const handler = () => new Response('new');",
    "users/[id].ts": "export const handler = () => new Response('id');",
    "a b.ts": "export const handler = () => new Response('space');",
  });
  try {
    const table = await loadRoutes(dir);
    assert.equal(findRoute(table, splitPath("/users/new/"))?.route.file, "users/new.ts");
    assert.equal(findRoute(table, splitPath("/users/n%65w"))?.route.file, "users/new.ts");
    assert.equal(findRoute(table, splitPath("/a%20b"))?.route.file, "a b.ts");
    const escaped = findRoute(table, splitPath("/users%2Fnew"));
    assert.equal(escaped, null);
    assert.deepEqual(findRoute(table, splitPath("/users/new%2Fx"))?.params, { id: "new/x" });
    assert.equal(findRoute(table, splitPath("/users/%E0%A4%A"))?.route, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
