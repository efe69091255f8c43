import assert from "node:assert/strict";
import { JOBS, labeledNdcg, labeledProfile, ndcgAt, RESUMES } from "./match_labeled_set.ts";
import { computeMatch } from "./match.ts";
import { roleFit } from "./role_fit.ts";

Deno.test("labeled set - five resumes, at least 60 jobs, a hand grade 0-3 for every pair", () => {
  assert.equal(RESUMES.length, 5);
  assert.ok(JOBS.length >= 60, `${JOBS.length} jobs`);
  for (const j of JOBS) {
    assert.equal(j.grades.length, 5, j.job.title);
    for (const g of j.grades) assert.ok([0, 1, 2, 3].includes(g), `${j.job.title}: ${g}`);
  }
  // Every resume has jobs worth applying to and jobs it should never see first.
  RESUMES.forEach((r, i) => {
    assert.ok(JOBS.filter((j) => j.grades[i] === 3).length >= 2, r.key);
    assert.ok(JOBS.filter((j) => j.grades[i] === 0).length >= 30, r.key);
  });
});

Deno.test("labeled set - the match score orders every resume's jobs with NDCG@10 of at least 0.9", () => {
  const ndcg = labeledNdcg((job, profile) => computeMatch(job, profile).score);
  for (const r of RESUMES) assert.ok(ndcg[r.key] >= 0.9, `${r.key}: NDCG@10 ${ndcg[r.key].toFixed(3)}`);
});

Deno.test("labeled set - a job in another profession is never strong or excellent", () => {
  for (const r of RESUMES) {
    const profile = labeledProfile(r);
    for (const { job } of JOBS) {
      const fit = roleFit(job.title, r.roles);
      if (fit?.kind !== "other") continue;
      const m = computeMatch(job, profile);
      assert.ok(m.category === "low", `${r.key} / ${job.title}: ${m.score} ${m.category}`);
    }
  }
});

Deno.test("ndcgAt - the ideal order is 1, a reversed one less, all zero grades count as ideal", () => {
  assert.equal(ndcgAt(10, [3, 2, 1, 0], [0, 1, 2, 3]), 1);
  assert.ok(ndcgAt(10, [0, 1, 2, 3], [3, 2, 1, 0]) < 0.7);
  assert.equal(ndcgAt(10, [0, 0], [0, 0]), 1);
  // Only the first place counts at k = 1: the best grade there is ideal.
  assert.equal(ndcgAt(1, [3, 2], [2, 3]), 1);
});
