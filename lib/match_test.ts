import assert from "node:assert/strict";
import {
  categoryOf,
  computeMatch,
  EMPTY_PROFILE,
  formatMoney,
  levelOfTitle,
  type MatchJob,
} from "./match.ts";

const backend: MatchJob = {
  title: "Senior Backend Engineer",
  description: "We use Python, Kubernetes, Go, PostgreSQL, Kafka, AWS and Terraform.",
  location: "Anywhere",
  remote: true,
  job_type: "full-time",
  comp_min: 140000,
  comp_max: 180000,
  requires_visa_sponsorship: false,
  company: { industry: "Fintech", size: "201-500", tech_stack: [] },
};

Deno.test("computeMatch - the worked example of docs/matching.md scores 85 (strong)", () => {
  const match = computeMatch(backend, {
    ...EMPTY_PROFILE,
    skills: ["python", "Postgres", "Kafka", "AWS", "Terraform"],
    remote_ok: true,
    role_types: ["full-time"],
    role_levels: ["senior"],
    industries: ["fintech"],
    company_sizes: ["51-200"],
    min_salary: 150000,
  });
  // skills 40*5/7 + location 15 + salary 15 + type 8 + level 7 + industry 5 + size 5*0.5 = 81.07 of 95
  assert.equal(match.score, 85);
  assert.equal(match.category, "strong");
  assert.deepEqual(match.reasons, [
    "5 of 7 required skills: missing Kubernetes, Go",
    "remote, which you accept",
    "pays up to $180,000, at or above your $150,000",
    "full-time",
    "senior level, as you want",
    "Fintech, an industry you chose",
    "201-500 employees",
  ]);
});

Deno.test("computeMatch - a salary 10% under the minimum is worth 0.8 of its weight", () => {
  const job: MatchJob = { title: "Analyst", comp_max: 90000, company: {} };
  const match = computeMatch(job, { ...EMPTY_PROFILE, min_salary: 100000 });
  assert.equal(match.score, 80);
  assert.deepEqual(match.reasons, ["pays up to $90,000, below your $100,000"]);
});

Deno.test("computeMatch - wrong city and no visa sponsorship pull a full skills match down to fair", () => {
  const job: MatchJob = {
    title: "Frontend Developer",
    description: "TypeScript and React every day.",
    location: "Paris, France",
    remote: false,
    company: {},
  };
  const match = computeMatch(job, {
    ...EMPTY_PROFILE,
    skills: ["typescript", "reactjs"],
    locations: ["Berlin"],
    remote_ok: false,
    needs_visa_sponsorship: true,
  });
  // 40 of (40 + 15 + 5) = 66.7
  assert.equal(match.score, 67);
  assert.equal(match.category, "fair");
  assert.deepEqual(match.reasons, [
    "2 of 2 required skills",
    "on-site in Paris, France, not one of your locations",
    "does not sponsor visas",
  ]);
});

Deno.test("computeMatch - tech-stack skills add a bonus, a level one step away counts half", () => {
  const job: MatchJob = {
    title: "Staff Engineer",
    description: "Systems work in Rust.",
    company: { tech_stack: ["Kafka", "rust"] },
  };
  const match = computeMatch(job, { ...EMPTY_PROFILE, skills: ["Rust", "kafka"], role_levels: ["senior"] });
  // skills min(1, (1 + 0.1) / 1) * 40 = 40, level 7 * 0.5 = 3.5: 43.5 of 47 = 92.6
  assert.equal(match.score, 93);
  assert.equal(match.category, "excellent");
  assert.deepEqual(match.reasons, [
    "1 of 1 required skills; the company also uses Kafka",
    "staff level; you want senior",
  ]);
});

Deno.test("computeMatch - with nothing to compare the score is a neutral 50 that says why", () => {
  const match = computeMatch({ title: "Engineer", remote: false, company: {} }, EMPTY_PROFILE);
  assert.deepEqual(match, {
    score: 50,
    category: "fair",
    reasons: ["add skills and preferences in Settings for a real score"],
  });
});

Deno.test("computeMatch - the same inputs always give the same answer", () => {
  const profile = { ...EMPTY_PROFILE, skills: ["Go"], min_salary: 120000 };
  assert.deepEqual(computeMatch(backend, profile), computeMatch(structuredClone(backend), profile));
});

Deno.test("categoryOf - the seed's thresholds", () => {
  assert.deepEqual([100, 90, 89, 75, 74, 50, 49, 0].map(categoryOf), [
    "excellent",
    "excellent",
    "strong",
    "strong",
    "fair",
    "fair",
    "low",
    "low",
  ]);
});

Deno.test("levelOfTitle - the most senior level word wins; none means mid", () => {
  assert.equal(levelOfTitle("Senior Engineering Manager"), "manager");
  assert.equal(levelOfTitle("Sr. Data Scientist"), "senior");
  assert.equal(levelOfTitle("Head of Growth"), "vp");
  assert.equal(levelOfTitle("Software Engineer"), "mid");
  assert.equal(levelOfTitle("Summer Intern, Design"), "intern");
});

Deno.test("formatMoney - thousands separators without locale data", () => {
  assert.equal(formatMoney(1234567), "$1,234,567");
  assert.equal(formatMoney(950), "$950");
});
