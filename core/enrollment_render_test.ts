import assert from "node:assert/strict";
import { HttpError } from "./http_error.ts";
import { builtinVariables, type EnrollStep, renderEnrollment } from "./enrollment_render.ts";

const STEPS: EnrollStep[] = [
  { step_no: 2, delay_hours: 72, subject: "", body: "Following up, {{first_name}}." },
  {
    step_no: 1,
    delay_hours: 0,
    subject: "{{role}} at {{company}}",
    body: "Hi {{first_name}}, {{my_metric}}.",
  },
];

const VARIABLES = builtinVariables({
  first_name: null,
  last_name: null,
  full_name: "Ada Lovelace King",
  role: "Staff Engineer",
  company: "Acme",
  my_name: "Sam",
  metric: "cut p99 by 40%",
});

function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  assert.fail("expected an HttpError");
}

Deno.test("builtinVariables - a missing first or last name comes from the full name", () => {
  assert.equal(VARIABLES.first_name, "Ada");
  assert.equal(VARIABLES.last_name, "Lovelace King");
  assert.equal(VARIABLES.my_metric, "cut p99 by 40%");
  const single = builtinVariables({
    first_name: "A.",
    last_name: null,
    full_name: "Plato",
    role: "Philosopher",
    company: "Academy",
    my_name: null,
    metric: null,
  });
  assert.equal(single.first_name, "A.");
  assert.equal(single.last_name, null);
});

Deno.test("renderEnrollment - steps in order, a follow-up without a subject answers step 1", () => {
  const rendered = renderEnrollment({ steps: STEPS, sequenceId: 1, contactId: 7, variables: VARIABLES });
  assert.deepEqual(
    rendered.map((r) => [r.step.step_no, r.variant, r.subject, r.body, r.livepage_id]),
    [
      [1, null, "Staff Engineer at Acme", "Hi Ada, cut p99 by 40%.", null],
      [2, null, "Re: Staff Engineer at Acme", "Following up, Ada.", null],
    ],
  );
});

Deno.test("renderEnrollment - reviewed text is kept as written and needs no variables", () => {
  const rendered = renderEnrollment({
    steps: STEPS,
    sequenceId: 1,
    contactId: 7,
    variables: { ...VARIABLES, my_metric: null },
    overrides: [{ step_no: 1, subject: "My own subject", body: "My own words" }],
  });
  assert.equal(rendered[0].subject, "My own subject");
  assert.equal(rendered[0].body, "My own words");
  assert.equal(rendered[1].subject, "Re: My own subject");
});

Deno.test("renderEnrollment - lists every variable without a value and every bad override (422)", () => {
  const error = refusal(() =>
    renderEnrollment({
      steps: STEPS,
      sequenceId: 1,
      contactId: 7,
      variables: { ...VARIABLES, first_name: " ", my_metric: null },
      overrides: [{ step_no: 9, body: "x" }],
    })
  );
  assert.equal(error.status, 422);
  assert.equal(error.code, "missing_variables");
  assert.deepEqual(error.fields, {
    "overrides.0.step_no": "the sequence has no step 9",
    "variables.first_name": "no value for {{first_name}}",
    "variables.my_metric": "no value for {{my_metric}}",
  });
});

Deno.test("renderEnrollment - a step that uses {{live_page}} carries the page's id", () => {
  const steps: EnrollStep[] = [{ step_no: 1, delay_hours: 0, subject: "Hi", body: "See {{live_page}}" }];
  const url = "http://app.example/p/tok";
  const [own] = renderEnrollment({
    steps,
    sequenceId: 1,
    contactId: 7,
    variables: { ...VARIABLES, live_page: url },
    livePage: { id: 42, url },
  });
  assert.deepEqual([own.body, own.livepage_id], [`See ${url}`, 42]);
  const [reviewed] = renderEnrollment({
    steps,
    sequenceId: 1,
    contactId: 7,
    variables: { ...VARIABLES, live_page: url },
    overrides: [{ step_no: 1, body: "No link here" }],
    livePage: { id: 42, url },
  });
  assert.equal(reviewed.livepage_id, null);
});

Deno.test("renderEnrollment - a step with variants sends the promoted winner", () => {
  const steps: EnrollStep[] = [{
    step_no: 1,
    delay_hours: 0,
    subject: "unused",
    body: "unused",
    variants: [{ key: "A", subject: "A subject", body: "A body" }, {
      key: "B",
      subject: "B subject",
      body: "B body",
    }],
  }];
  const [step] = renderEnrollment({
    steps,
    sequenceId: 1,
    contactId: 7,
    variables: VARIABLES,
    promoted: new Map([[1, "B"]]),
  });
  assert.deepEqual([step.variant, step.subject, step.body], ["B", "B subject", "B body"]);
});
