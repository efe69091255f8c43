import assert from "node:assert/strict";
import { parseAddress } from "./email_syntax.ts";

const VALID: [string, string][] = [
  ["ada@example.com", "example.com"],
  ["Ada.Lovelace+jobs@Example.COM", "example.com"],
  ['"ada lovelace"@example.com', "example.com"],
  ["o'brien@example.co.uk", "example.co.uk"],
  ["ada@bücher.example", "xn--bcher-kva.example"],
  ["用户@例子.广告", "xn--fsqu00a.xn--4rr70v"],
  ["ada@example.com.", "example.com"],
  [`${"a".repeat(64)}@example.com`, "example.com"],
];

const INVALID = [
  "",
  "ada",
  "@example.com",
  "ada@",
  "ada@@example.com",
  "ada..lovelace@example.com",
  ".ada@example.com",
  "ada.@example.com",
  "ada lovelace@example.com",
  "ada@exa mple.com",
  "ada@localhost",
  "ada@[192.0.2.1]",
  "ada@192.0.2.1",
  "ada@-example.com",
  "ada@example-.com",
  "ada@exa_mple.com",
  `${"a".repeat(65)}@example.com`,
  `ada@${"a".repeat(64)}.com`,
  `ada@${"abcdefghi.".repeat(25)}com`,
  "ada\r\n@example.com",
  'ada"@example.com',
];

for (const [input, ascii] of VALID) {
  Deno.test(`parseAddress - accepts ${JSON.stringify(input)} (domain ${ascii})`, () => {
    const got = parseAddress(input);
    assert.ok(got, input);
    assert.equal(got.asciiDomain, ascii);
  });
}

Deno.test("parseAddress - rejects each malformed address", () => {
  for (const input of INVALID) assert.equal(parseAddress(input), null, JSON.stringify(input));
});

Deno.test("parseAddress - keeps the domain as typed beside its punycode form", () => {
  const got = parseAddress("ada@Bücher.example");
  assert.deepEqual(got, { local: "ada", domain: "Bücher.example", asciiDomain: "xn--bcher-kva.example" });
});
