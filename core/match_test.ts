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

Deno.test("computeMatch - the worked example of docs/matching.md scores 91 (excellent)", () => {
  const match = computeMatch(backend, {
    ...EMPTY_PROFILE,
    roles: ["Backend Engineer"],
    skills: ["python", "Postgres", "Kafka", "AWS", "Terraform"],
    remote_ok: true,
    role_types: ["full-time"],
    role_levels: ["senior"],
    industries: ["fintech"],
    company_sizes: ["51-200"],
    min_salary: 150000,
  });
  // role 30 + skills 35*(0.8*5/7 + 0.2*5/5) + level 10 + location 12 + salary 10 + type 8 + industry 4
  // + size 4*0.5 = 103.0 of 113
  assert.equal(match.score, 91);
  assert.equal(match.category, "excellent");
  assert.deepEqual(match.reasons, [
    "the kind of role you have had (Backend Engineer)",
    "5 of 7 required skills: missing Kubernetes, Go",
    "senior level, as you want",
    "remote, which you accept",
    "pays up to $180,000, at or above your $150,000",
    "full-time",
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
  // skills 35*(0.8*2/2 + 0.2*2/2) = 35 of (35 + 12 + 5) = 67.3
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
  // skills 35*(0.8*min(1, 1/1 + 0.05) + 0.2*1/2) = 31.5, level 10*0.5 = 5: 36.5 of 45 = 81.1
  assert.equal(match.score, 81);
  assert.equal(match.category, "strong");
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

Deno.test("computeMatch - a designer job naming one skill the engineer has is not a strong match", () => {
  const job: MatchJob = {
    title: "Product Designer",
    description: "Design our onboarding in Figma.",
    remote: true,
    company: {},
  };
  const match = computeMatch(job, {
    ...EMPTY_PROFILE,
    skills: ["Python", "Go", "Figma"],
    roles: ["Senior Backend Engineer"],
  });
  assert.ok(match.score <= 74, String(match.score));
  assert.equal(
    match.reasons[0],
    "a design role, next to your software engineering experience (at most a fair match)",
  );
  const nurse = computeMatch({ ...job, title: "Registered Nurse", description: "Figma." }, {
    ...EMPTY_PROFILE,
    skills: ["Figma"],
    roles: ["Senior Backend Engineer"],
  });
  assert.equal(nurse.category, "low");
});

Deno.test("computeMatch - a skill the title names and the resume lacks keeps the job at most fair", () => {
  const job: MatchJob = {
    title: "Senior Rust Engineer",
    description: "Rust services on Kubernetes, PostgreSQL and AWS.",
    remote: true,
    company: {},
  };
  const match = computeMatch(job, {
    ...EMPTY_PROFILE,
    skills: ["Go", "Kubernetes", "PostgreSQL", "AWS"],
    roles: ["Senior Backend Engineer"],
    role_levels: ["senior"],
  });
  assert.equal(match.category, "fair");
  assert.equal(
    match.reasons[1],
    "3 of 4 required skills: missing Rust; the title asks for Rust, which you do not list (at most a fair match)",
  );
});

Deno.test("computeMatch - a missing nice-to-have costs a third of a missing required skill", () => {
  const profile = { ...EMPTY_PROFILE, skills: ["Python", "PostgreSQL", "AWS", "Docker", "Redis"] };
  const nice = computeMatch({
    title: "Engineer",
    description: "Python, PostgreSQL and AWS. Nice to have: Terraform.",
    company: {},
  }, profile);
  const required = computeMatch({
    title: "Engineer",
    description: "Python, PostgreSQL, AWS and Terraform.",
    company: {},
  }, profile);
  // skills only: 0.8 * 3/3.3 + 0.2 * 3/5 = 0.847 against 0.8 * 3/4 + 0.2 * 3/5 = 0.72
  assert.equal(nice.score, 85);
  assert.equal(required.score, 72);
  assert.equal(nice.reasons[0], "3 of 3 required skills; 0 of 1 nice-to-have (missing Terraform)");
});
