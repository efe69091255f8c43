import assert from "node:assert/strict";
import { professionOf, roleFit, specialtiesOf } from "./role_fit.ts";

Deno.test("professionOf - reads the profession from the title words, the specific rule first", () => {
  assert.equal(professionOf("Senior Product Designer"), "design");
  assert.equal(professionOf("Data Engineer"), "data");
  assert.equal(professionOf("Site Reliability Engineer"), "software");
  assert.equal(professionOf("Certified Nursing Assistant"), "healthcare");
  assert.equal(professionOf("Registered Nurse - ICU"), "nursing");
  assert.equal(professionOf("Go-to-Market Manager"), "marketing");
  assert.equal(professionOf("Marketing Analyst"), "data");
  assert.equal(professionOf("Financial Analyst"), "finance");
  assert.equal(professionOf("Chief of Staff"), null);
});

Deno.test("specialtiesOf - a full-stack title is frontend and backend", () => {
  assert.deepEqual(specialtiesOf("Full Stack Engineer"), ["frontend", "backend"]);
  assert.deepEqual(specialtiesOf("Software Engineer"), []);
});

Deno.test("roleFit - same specialty 1, another specialty half, neighbour 0.3, another profession 0", () => {
  const roles = ["Senior Backend Engineer", "Software Engineer"];
  assert.equal(roleFit("Backend Engineer (Go)", roles)?.value, 1);
  assert.equal(roleFit("Software Engineer", roles)?.value, 0.85);
  assert.equal(roleFit("Senior Frontend Engineer", roles)?.value, 0.5);
  assert.deepEqual(roleFit("Data Engineer", roles)?.kind, "neighbour");
  const designer = roleFit("Product Designer", roles);
  assert.equal(designer?.kind, "neighbour");
  assert.equal(designer?.value, 0.3);
  const nurse = roleFit("Registered Nurse", roles);
  assert.equal(nurse?.kind, "other");
  assert.equal(nurse?.value, 0);
  assert.match(nurse!.reason, /nursing role, a different profession from your Senior Backend Engineer/);
});

Deno.test("roleFit - a people-manager job fits an individual contributor only in part", () => {
  assert.equal(roleFit("Engineering Manager, Backend", ["Senior Backend Engineer"])?.value, 0.5);
  assert.equal(roleFit("Engineering Manager, Backend", ["Engineering Manager, Payments Backend"])?.value, 1);
});

Deno.test("roleFit - nothing to compare without a known profession on both sides", () => {
  assert.equal(roleFit("Chief of Staff", ["Senior Backend Engineer"]), null);
  assert.equal(roleFit("Backend Engineer", []), null);
});
