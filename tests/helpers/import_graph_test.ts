import assert from "node:assert/strict";
import { findCycles, judge, layerOf, parseImports } from "./import_graph.ts";

Deno.test("parseImports - static, type-only, re-exports and dynamic imports, resolved from the root", () => {
  const text = [
    'import { z } from "zod";',
    'import { match } from "@/core/match.ts";',
    'import type { Sql } from "../db/client.ts";',
    'export { x } from "./x.ts";',
    'const m = await import("@/services/mail/smtp.ts");',
  ].join("\n");
  assert.deepEqual(parseImports("services/accounts/a.ts", text), [
    { target: "core/match.ts", line: 2, typeOnly: false },
    { target: "services/db/client.ts", line: 3, typeOnly: true },
    { target: "services/accounts/x.ts", line: 4, typeOnly: false },
    { target: "services/mail/smtp.ts", line: 5, typeOnly: false },
  ]);
});

Deno.test("judge - a back-arrow fails, a downward import passes", () => {
  const up = { target: "services/outreach/dispatcher.ts", line: 3, typeOnly: false };
  assert.equal(judge("db/mailboxes.ts", up), "db may not import services");
  assert.equal(
    judge("fresh/errors.ts", { target: "core/log.ts", line: 1, typeOnly: false }),
    "fresh may not import core",
  );
  assert.equal(judge("routes/api/me.ts", { target: "db/users.ts", line: 1, typeOnly: false }), undefined);
  assert.equal(judge("services/x.ts", { target: "db/users.ts", line: 1, typeOnly: false }), undefined);
});

Deno.test("judge - components may import row types from db, not db code", () => {
  assert.equal(judge("components/Row.tsx", { target: "db/outreach.ts", line: 1, typeOnly: true }), undefined);
  assert.equal(
    judge("components/Row.tsx", { target: "db/outreach.ts", line: 1, typeOnly: false }),
    "components may not import db",
  );
});

Deno.test("layerOf - tests beside modules count as tests; top folders give the layer", () => {
  assert.equal(layerOf("core/match_test.ts"), "tests");
  assert.equal(layerOf("core/match.ts"), "core");
  assert.equal(layerOf("fresh.config.ts"), "config");
  assert.equal(layerOf("main.ts"), "app");
  assert.equal(layerOf("lib/anything.ts"), undefined);
});

Deno.test("findCycles - reports each cycle once, from its smallest member", () => {
  const edges = new Map([
    ["b.ts", ["c.ts"]],
    ["c.ts", ["a.ts"]],
    ["a.ts", ["b.ts"]],
    ["d.ts", ["a.ts"]],
  ]);
  assert.deepEqual(findCycles(edges), [["a.ts", "b.ts", "c.ts", "a.ts"]]);
  assert.deepEqual(findCycles(new Map([["a.ts", ["b.ts"]], ["b.ts", []]])), []);
});
