import assert from "node:assert/strict";
import { poolInputs, roleWordsQuery } from "./match_pools.ts";

Deno.test("poolInputs - skills by canonical name once each; role words of the title weight", () => {
  assert.deepEqual(
    poolInputs({ skills: ["k8s", "Kubernetes", "postgres", "Python"], roles: ["Senior Back-End Engineer"] }),
    { skills: ["Kubernetes", "PostgreSQL", "Python"], roles: "'backend':A | 'engineer':A" },
  );
});

Deno.test("poolInputs - an empty profile has no skills and no role words (the pools are the newest jobs)", () => {
  assert.deepEqual(poolInputs({ skills: [], roles: [] }), { skills: [], roles: null });
  assert.deepEqual(poolInputs({ skills: [] }), { skills: [], roles: null });
});

Deno.test("roleWordsQuery - level and filler words are left out; a role of only those gives none", () => {
  assert.equal(roleWordsQuery(["Head of Product Design"]), "'product':A | 'design':A");
  assert.equal(roleWordsQuery(["Senior", "Lead"]), null);
});
