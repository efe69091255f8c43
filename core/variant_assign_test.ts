import assert from "node:assert/strict";
import { assignVariant, chooseStepText } from "./variant_assign.ts";

const keys = ["A", "B"];

Deno.test("assignVariant - the same contact and step always get the same variant", () => {
  for (let contactId = 1; contactId <= 200; contactId++) {
    const first = assignVariant({ sequenceId: 7, stepNo: 1, contactId, keys });
    assert.equal(assignVariant({ sequenceId: 7, stepNo: 1, contactId, keys }), first);
  }
});

Deno.test("assignVariant - paired steps follow step 1's variant; unpaired ones draw again", () => {
  let differs = 0;
  for (let contactId = 1; contactId <= 200; contactId++) {
    const first = assignVariant({ sequenceId: 7, stepNo: 1, contactId, keys: ["A", "B", "C"] });
    const paired = assignVariant({
      sequenceId: 7,
      stepNo: 3,
      contactId,
      keys: ["A", "B", "C"],
      paired: true,
    });
    assert.equal(paired, first);
    const own = assignVariant({ sequenceId: 7, stepNo: 3, contactId, keys: ["A", "B", "C"] });
    if (own !== first) differs++;
  }
  assert.ok(differs > 50, `unpaired steps should draw independently (${differs} of 200 differ)`);
});

Deno.test("assignVariant - no variants is null, and a promoted winner takes every new contact", () => {
  assert.equal(assignVariant({ sequenceId: 1, stepNo: 1, contactId: 1, keys: [] }), null);
  for (let contactId = 1; contactId <= 50; contactId++) {
    assert.equal(assignVariant({ sequenceId: 1, stepNo: 1, contactId, keys, promoted: "B" }), "B");
  }
});

/** Critical chi-square values at p = 0.001 for 1, 2 and 3 degrees of freedom. */
const CHI2_CRITICAL_001: Record<number, number> = { 1: 10.828, 2: 13.816, 3: 16.266 };

for (const variantKeys of [["A", "B"], ["A", "B", "C"], ["A", "B", "C", "D"]]) {
  Deno.test(`assignVariant - ${variantKeys.length} variants over 10,000 contacts pass a chi-square test`, () => {
    const counts = new Map(variantKeys.map((k) => [k, 0]));
    const contacts = 10_000;
    for (let contactId = 1; contactId <= contacts; contactId++) {
      const key = assignVariant({ sequenceId: 42, stepNo: 1, contactId, keys: variantKeys })!;
      counts.set(key, counts.get(key)! + 1);
    }
    const expected = contacts / variantKeys.length;
    const chi2 = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    assert.ok(
      chi2 < CHI2_CRITICAL_001[variantKeys.length - 1],
      `chi-square ${chi2.toFixed(2)} for ${JSON.stringify(Object.fromEntries(counts))}`,
    );
  });
}

Deno.test("chooseStepText - a step without variants sends its own text", () => {
  const step = { step_no: 1, subject: "Hi", body: "Hello" };
  assert.deepEqual(chooseStepText([step], step, { sequenceId: 1, contactId: 1 }), {
    variant: null,
    subject: "Hi",
    body: "Hello",
  });
});

Deno.test("chooseStepText - the follow-up with the same keys follows step 1's variant", () => {
  const steps = [
    {
      step_no: 1,
      subject: "-",
      body: "-",
      variants: [{ key: "A", subject: "A1", body: "a1" }, { key: "B", subject: "B1", body: "b1" }],
    },
    {
      step_no: 2,
      subject: "-",
      body: "-",
      variants: [{ key: "A", subject: "A2", body: "a2" }, { key: "B", subject: "B2", body: "b2" }],
    },
  ];
  for (let contactId = 1; contactId <= 40; contactId++) {
    const first = chooseStepText(steps, steps[0], { sequenceId: 9, contactId });
    const second = chooseStepText(steps, steps[1], { sequenceId: 9, contactId });
    assert.equal(second.variant, first.variant);
    assert.equal(second.subject, `${first.variant}2`);
  }
  const promoted = chooseStepText(steps, steps[1], { sequenceId: 9, contactId: 1 }, new Map([[1, "B"]]));
  assert.equal(promoted.subject, "B2");
});
