import assert from "node:assert/strict";
import { lintTemplate } from "./template_lint.ts";

const codes = (subject: string, body: string) => lintTemplate(subject, body).map((w) => w.code);

const GOOD_BODY = `Hi {{first_name}},

I saw the {{role}} opening at {{company}} and I think my work on payment systems fits it well: last year I
cut checkout latency by 40% for a team of twelve. Would you have fifteen minutes next week to talk about it?

My portfolio: https://ada.example/work

Best,
{{my_name}}

If this is not for you, reply stop and I won't write again.`;

Deno.test("lintTemplate - a plain personal email has no warnings", () => {
  assert.deepEqual(lintTemplate("{{role}} at {{company}}", GOOD_BODY), []);
});

const SAMPLES: [string, string, string, string][] = [
  [
    "spam phrase",
    "Quick question",
    GOOD_BODY.replace("Would you", "Act now! Click here, would you"),
    "spam_phrase",
  ],
  [
    "all-caps words",
    "Quick question",
    GOOD_BODY.replace("I saw", "I REALLY WANT THIS JOB, I saw"),
    "all_caps",
  ],
  ["all-caps subject", "HIRE ME TODAY", GOOD_BODY, "all_caps"],
  ["exclamation run", "Hello!!", GOOD_BODY, "exclamation"],
  [
    "three links",
    "Hi",
    `${GOOD_BODY}\nhttps://a.example/1 https://a.example/2 and more words around the links here`,
    "too_many_links",
  ],
  [
    "link shortener",
    "Hi",
    GOOD_BODY.replace("https://ada.example/work", "https://bit.ly/abc"),
    "link_shortener",
  ],
  [
    "mostly a link",
    "Hi {{first_name}}",
    "See https://ada.example/a/very/long/path/to/my/portfolio/page ok",
    "link_ratio",
  ],
  ["long body", "Hi", `${GOOD_BODY}\n${"word ".repeat(220)}`, "too_long"],
  ["long subject", "x".repeat(61), GOOD_BODY, "long_subject"],
  ["no variables", "Hello", GOOD_BODY.replace(/\{\{\s*\w+\s*\}\}/g, "there"), "no_personalisation"],
  [
    "no opt-out line",
    "Hi",
    GOOD_BODY.replace("If this is not for you, reply stop and I won't write again.", ""),
    "no_unsubscribe",
  ],
];

for (const [what, subject, body, code] of SAMPLES) {
  Deno.test(`lintTemplate - ${what} gives ${code}`, () => {
    const got = lintTemplate(subject, body);
    const hit = got.find((w) => w.code === code);
    assert.ok(hit, `${code} missing from ${JSON.stringify(got.map((w) => w.code))}`);
    assert.ok(hit.message.length > 20);
  });
}

Deno.test("lintTemplate - a placeholder in capitals is not shouting, and the unsubscribe word counts as opt-out", () => {
  const got = codes(
    "{{ROLE_NAME}} at {{company}}",
    "Hi {{FIRST_NAME}}, a short note. Unsubscribe: reply to this.",
  );
  assert.equal(got.includes("all_caps"), false);
  assert.equal(got.includes("no_unsubscribe"), false);
});
