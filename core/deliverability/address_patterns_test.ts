import assert from "node:assert/strict";
import { applyPattern, candidateAddresses, inferPatterns, PATTERNS, splitName } from "./address_patterns.ts";

/** A fixture of companies, each with the contacts it already has. */
const COMPANIES = [
  {
    domain: "acme.example",
    known: [
      { full_name: "Ada Lovelace", email: "ada.lovelace@acme.example" },
      { full_name: "Alan Turing", email: "alan.turing@acme.example" },
      { full_name: "Grace Hopper", email: "ghopper@acme.example" },
      { full_name: "Jobs Inbox", email: "jobs@acme.example" },
    ],
    name: "Linus Torvalds",
    expectFirst: { email: "linus.torvalds@acme.example", pattern: "first.last", evidence: 2 },
    expectSecond: { email: "ltorvalds@acme.example", pattern: "flast", evidence: 1 },
  },
  {
    domain: "initech.example",
    known: [
      { full_name: "Peter Gibbons", email: "PGibbons@Initech.example" },
      { full_name: "Michael Bolton", email: "mbolton@initech.example" },
      { full_name: "Samir Nagheenanajar", email: "samir@initech.example" },
    ],
    name: "Milton Waddams",
    expectFirst: { email: "mwaddams@initech.example", pattern: "flast", evidence: 2 },
    expectSecond: { email: "milton@initech.example", pattern: "first", evidence: 1 },
  },
  {
    domain: "globex.example",
    known: [
      { full_name: "Hank Scorpio", email: "hank_scorpio@globex.example" },
      { full_name: "Homer Simpson", email: "h.simpson@globex.example" },
      { full_name: "Frank Grimes", email: "frank_grimes@globex.example" },
      // another domain: not evidence for globex
      { full_name: "Marge Simpson", email: "margesimpson@elsewhere.example" },
    ],
    name: "José Ñúñez",
    expectFirst: { email: "jose_nunez@globex.example", pattern: "first_last", evidence: 2 },
    expectSecond: { email: "j.nunez@globex.example", pattern: "f.last", evidence: 1 },
  },
];

for (const c of COMPANIES) {
  Deno.test(`candidateAddresses - ${c.domain}: ranks the patterns its contacts follow by evidence`, () => {
    const got = candidateAddresses(c.name, c.domain, c.known);
    assert.deepEqual(got[0], c.expectFirst);
    assert.deepEqual(got[1], c.expectSecond);
    assert.equal(got.length, PATTERNS.length);
    assert.ok(got.slice(2).every((x) => x.evidence === 0));
  });
}

Deno.test("candidateAddresses - with no evidence lists the common patterns in the common order", () => {
  const got = candidateAddresses("Ada Lovelace", "new.example", []);
  assert.deepEqual(got.map((x) => x.email), [
    "ada.lovelace@new.example",
    "alovelace@new.example",
    "ada@new.example",
    "adal@new.example",
    "ada_lovelace@new.example",
    "adalovelace@new.example",
    "lovelace@new.example",
    "a.lovelace@new.example",
  ]);
  assert.deepEqual(got.map((x) => x.pattern), [...PATTERNS]);
  assert.ok(got.every((x) => x.evidence === 0));
});

Deno.test("candidateAddresses - a name without a last part proposes nothing", () => {
  assert.deepEqual(candidateAddresses("Cher", "acme.example", []), []);
  assert.deepEqual(candidateAddresses("   ", "acme.example", []), []);
});

Deno.test("candidateAddresses - explicit first/last names win over the split of the full name", () => {
  const got = candidateAddresses("Mary Ann van Dyke", "x.example", [], {
    first: "Mary-Ann",
    last: "van Dyke",
  });
  assert.equal(got[0].email, "maryann.vandyke@x.example");
});

Deno.test("candidateAddresses - the limit cuts the list", () => {
  assert.equal(candidateAddresses("Ada Lovelace", "x.example", [], { limit: 3 }).length, 3);
});

Deno.test("inferPatterns - ignores contacts without email, another domain or an unsplittable name", () => {
  const counts = inferPatterns("a.example", [
    { full_name: "Ada Lovelace", email: null },
    { full_name: "Ada Lovelace", email: "ada.lovelace@b.example" },
    { full_name: "Prince", email: "prince@a.example" },
    { full_name: "Ada Lovelace", email: "ada.lovelace@a.example" },
  ]);
  assert.deepEqual([...counts], [["first.last", 1]]);
});

Deno.test("splitName - drops accents and punctuation", () => {
  assert.deepEqual(splitName("Seán O'Brien-Smith"), { first: "sean", last: "obriensmith" });
  assert.equal(applyPattern("f.last", { first: "sean", last: "obrien" }), "s.obrien");
});
