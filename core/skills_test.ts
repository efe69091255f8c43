import assert from "node:assert/strict";
import { canonicalSkill, extractJobSkills, extractSkills, normalizeSkills, skillKey } from "./skills.ts";

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

/** [text, the skills it names, in order of first mention]. */
const EXTRACTION_TABLE: [string, string[]][] = [
  // lists
  ["Skills: Python, Go, PostgreSQL, Kafka", ["Python", "Go", "PostgreSQL", "Kafka"]],
  ["- React\n- Jest\n- Playwright\n- Accessibility", ["React", "Jest", "Playwright", "Accessibility"]],
  ["SQL / R / Tableau", ["SQL", "R", "Tableau"]],
  ["Swift, SwiftUI and Objective-C", ["Swift", "SwiftUI", "Objective-C"]],
  // prose
  ["I wrote unit tests with Jest and end-to-end tests with Playwright.", ["Jest", "Playwright"]],
  ["We fixed accessibility issues to meet WCAG AA.", ["Accessibility"]],
  ["Go was my main language for three years.", ["Go"]],
  ["Rust is the core of our trading engine.", ["Rust"]],
  ["Our services are written in Rust and Go.", ["Rust", "Go"]],
  ["R for a few regression studies.", ["R"]],
  ["Charting in Epic for every admission.", ["Epic"]],
  // ambiguous words that are not the skill
  ["Go to market with our new product line.", []],
  ["Go deep on pricing. Go-getter wanted.", []],
  ["Swift delivery is what our customers expect.", []],
  ["Rust removal and painting of steel bridges.", []],
  ["Our R&D team ships an epic amount of work.", []],
  ["Reports to John R. Smith.", []],
  ["we go to market fast and rust never sleeps", []],
  // multi-word skills
  ["Experience with machine learning and natural language processing.", ["Machine Learning", "NLP"]],
  ["Patient care, medication administration and IV therapy.", [
    "Patient Care",
    "Medication Administration",
    "IV Therapy",
  ]],
  ["Own our design system; prototypes in Figma; usability testing.", [
    "Design Systems",
    "Prototyping",
    "Figma",
    "Usability Testing",
  ]],
  ["React Native, not React alone; Google Analytics.", ["React Native", "React", "Google Analytics"]],
];

Deno.test("extractSkills - the extraction table: lists, prose, ambiguous words and multi-word skills", () => {
  for (const [text, skills] of EXTRACTION_TABLE) assert.deepEqual(extractSkills(text), skills, text);
});

Deno.test("extractJobSkills - skills named only where the ad says optional are nice to have", () => {
  assert.deepEqual(
    extractJobSkills(
      "Senior Go Engineer",
      "Go and PostgreSQL. Kubernetes is a plus. Nice to have: Go, Terraform.",
    ),
    { skills: ["Go", "PostgreSQL", "Kubernetes", "Terraform"], nice: ["Kubernetes", "Terraform"] },
  );
  assert.deepEqual(extractJobSkills("Analyst", null), { skills: [], nice: [] });
});
