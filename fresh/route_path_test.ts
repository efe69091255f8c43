import assert from "node:assert/strict";
import {
  compareRoutes,
  matchesPrefix,
  matchSegments,
  parseSegment,
  patternOf,
  routeSegments,
  splitPath,
} from "./route_path.ts";

Deno.test("parseSegment - reads static, [param], [...rest] and (group) names", () => {
  assert.deepEqual(parseSegment("users"), { kind: "static", value: "users" });
  assert.deepEqual(parseSegment("[id]"), { kind: "param", name: "id" });
  assert.deepEqual(parseSegment("[...path]"), { kind: "rest", name: "path" });
  assert.equal(parseSegment("(marketing)"), null);
  assert.throws(() => parseSegment("post-[id]"), /unsupported route segment/);
});

Deno.test("routeSegments - index maps to its folder and groups add no segment", () => {
  assert.equal(patternOf(routeSegments("index.tsx")), "/");
  assert.equal(patternOf(routeSegments("users/index.tsx")), "/users");
  assert.equal(patternOf(routeSegments("(app)/users/[id].tsx")), "/users/:id");
  assert.equal(patternOf(routeSegments("files/[...path].ts")), "/files/*path");
  assert.throws(() => routeSegments("[...a]/b.tsx"), /must be the last segment/);
});

Deno.test("compareRoutes - orders static before [param] before [...rest]", () => {
  const files = [
    "[...rest].tsx",
    "users/[id].tsx",
    "users/new.tsx",
    "users/[...rest].tsx",
    "users/index.tsx",
  ];
  const sorted = files.map((f) => ({ f, s: routeSegments(f) })).sort((a, b) => compareRoutes(a.s, b.s));
  assert.deepEqual(sorted.map((x) => x.f), [
    "users/index.tsx",
    "users/new.tsx",
    "users/[id].tsx",
    "users/[...rest].tsx",
    "[...rest].tsx",
  ]);
});

Deno.test("matchSegments - decodes params and lets [...rest] take zero or more segments", () => {
  const user = routeSegments("users/[id].tsx");
  assert.deepEqual(matchSegments(user, splitPath("/users/a%20b")), { id: "a b" });
  assert.equal(matchSegments(user, splitPath("/users")), null);
  assert.equal(matchSegments(user, splitPath("/users/1/2")), null);
  assert.equal(matchSegments(user, splitPath("/users/%E0%A4%A")), null);
  const rest = routeSegments("files/[...path].tsx");
  assert.deepEqual(matchSegments(rest, splitPath("/files")), { path: "" });
  assert.deepEqual(matchSegments(rest, splitPath("/files/a/b/")), { path: "a/b" });
});

Deno.test("matchesPrefix - tells whether a folder's middleware covers a path", () => {
  assert.equal(matchesPrefix(routeSegments("api/index.ts"), splitPath("/api/unknown")), true);
  assert.equal(matchesPrefix(routeSegments("api/index.ts"), splitPath("/apix")), false);
  assert.equal(matchesPrefix([], splitPath("/anything")), true);
});
