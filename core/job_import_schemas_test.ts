import assert from "node:assert/strict";
import { ImportBody, validateJobRow } from "./job_import_schemas.ts";

const job = (extra: Record<string, unknown> = {}) => ({
  external_id: "x-1",
  source: "test",
  title: "Senior Go Engineer",
  company: { name: "Acme", domain: " WWW.Acme.Example " },
  ...extra,
});

Deno.test("validateJobRow - a good row is normalised and its skills are found", () => {
  const result = validateJobRow(job({ description: "We use Kubernetes. Terraform is a plus." }));
  assert.ok("row" in result, JSON.stringify(result));
  assert.equal(result.row.company.domain, "acme.example");
  assert.deepEqual(result.row.skills, ["Go", "Kubernetes", "Terraform"]);
  assert.deepEqual(result.row.skills_nice, ["Terraform"]);
});

Deno.test("validateJobRow - each bad field is named in the error", () => {
  const result = validateJobRow(job({ comp_min: 90_000, comp_max: 80_000, title: " ", extra: 1 }));
  assert.ok("error" in result);
  assert.match(result.error, /comp_max: must be at least comp_min/);
  assert.match(result.error, /title: must not be empty/);
  assert.match(result.error, /extra: unknown field/);
  assert.deepEqual(validateJobRow(job({ company: { name: "Acme", domain: "not a domain" } })), {
    error: "company.domain: must be a domain name",
  });
});

Deno.test("validateJobRow - text PostgreSQL cannot store is refused with its path", () => {
  const result = validateJobRow(job({ title: "a\u0000b" }));
  assert.ok("error" in result);
  assert.match(result.error, /^title: /);
});

Deno.test("ImportBody - takes any items, at least one and at most 5000", () => {
  assert.equal(ImportBody.safeParse({ jobs: [1, "x", {}] }).success, true);
  assert.equal(ImportBody.safeParse({ jobs: [] }).success, false);
  assert.equal(ImportBody.safeParse({ jobs: Array(5001).fill({}) }).success, false);
});
