import assert from "node:assert/strict";
import { classifyInbound, findReturnDate } from "./inbound_classify.ts";
import { RECEIVED, SAMPLES } from "@/tests/helpers/inbound_samples.ts";

Deno.test("classifyInbound - the sample table has 30+ real-shaped messages of every kind", () => {
  assert.ok(SAMPLES.length >= 30, `${SAMPLES.length} samples`);
  for (const kind of ["human", "auto_reply", "bounce", "other"]) {
    assert.ok(SAMPLES.some((s) => s.kind === kind), kind);
  }
});

for (const sample of SAMPLES) {
  Deno.test(`classifyInbound - ${sample.name}: ${sample.kind}`, () => {
    const result = classifyInbound(sample.message, RECEIVED);
    assert.equal(result.kind, sample.kind, JSON.stringify(result));
    if (sample.kind === "auto_reply") assert.equal(result.returnDate, sample.returnDate);
    if (sample.bounce) {
      for (const [key, value] of Object.entries(sample.bounce)) {
        assert.equal(
          result.bounce?.[key as keyof typeof sample.bounce],
          value,
          `${key}: ${JSON.stringify(result)}`,
        );
      }
    }
    assert.ok(result.reasons.length > 0, "says why");
  });
}

Deno.test("findReturnDate - common forms, the year guessed forward, implausible dates ignored", () => {
  const at = new Date("2026-11-30T10:00:00Z");
  const cases: [string, string | undefined][] = [
    ["I am out of the office until Monday, January 4.", "2027-01-04"],
    ["back on 2026-12-01", "2026-12-01"],
    ["until 12/15", "2026-12-15"],
    ["bis zum 03.12.2026 abwesend", "2026-12-03"],
    ["de retour le 2 décembre", "2026-12-02"],
    ["regreso el 7 de diciembre", "2026-12-07"],
    ["terug op 9 december", "2026-12-09"],
    ["volto em 10 de dezembro", "2026-12-10"],
    ["until the 5th of December", "2026-12-05"],
    ["until 31/02/2027", undefined],
    ["until 1 January 2030", undefined],
    ["until 1 January 2020", undefined],
    ["I will be back soon", undefined],
    ["about 12 people", undefined],
  ];
  for (const [text, expected] of cases) assert.equal(findReturnDate(text, at), expected, text);
});

Deno.test("classifyInbound - a date in the quoted original is not the return date", () => {
  const result = classifyInbound({
    headers: [["Auto-Submitted", "auto-replied"]],
    subject: "Out of office",
    text:
      "I am away with no access to email.\n\nOn Mon, Nov 30, 2026, Sam wrote:\n> I am free until December 12.",
  }, new Date("2026-11-30T10:00:00Z"));
  assert.equal(result.kind, "auto_reply");
  assert.equal(result.returnDate, undefined);
});
