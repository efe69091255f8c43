import assert from "node:assert/strict";
import { canonicalSkill, extractSkills, normalizeSkills, skillKey } from "./skills.ts";

Deno.test("normalizeSkills - trims, collapses spaces and drops case-insensitive duplicates in order", () => {
  assert.deepEqual(
    normalizeSkills(["  Python ", "python", "", "Machine   Learning", "k8s", "Kubernetes", "Rust"]),
    [
      "Python",
      "Machine Learning",
      "k8s",
      "Rust",
    ],
  );
});

Deno.test("skillKey - aliases share the canonical key; unknown skills key on themselves", () => {
  assert.equal(skillKey("K8S"), "kubernetes");
  assert.equal(skillKey("golang"), "go");
  assert.equal(skillKey("Postgres"), "postgresql");
  assert.equal(skillKey("  Underwater Basket Weaving "), "underwater basket weaving");
  assert.equal(canonicalSkill("reactjs"), "React");
});

Deno.test("extractSkills - finds whole-token skills, longest spelling first, exact-case names only as written", () => {
  const text = "Senior Go engineer: Golang, React Native and React, C++ and C#, Node.js on AWS. " +
    "We go to market fast; experience with k8s a plus. Series C funded.";
  assert.deepEqual(extractSkills(text), [
    "Go",
    "React Native",
    "React",
    "C++",
    "C#",
    "Node.js",
    "AWS",
    "Kubernetes",
  ]);
  assert.deepEqual(extractSkills("JavaScript"), ["JavaScript"]); // not also "Java"
  assert.deepEqual(extractSkills("the rest of the team will excel"), []);
  assert.deepEqual(extractSkills(null), []);
});
