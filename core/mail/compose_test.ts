import assert from "node:assert/strict";
import { followUpSubject, formatFrom, newMessageId, threadHeaders, withOptOutLine } from "./compose.ts";

Deno.test("formatFrom - quotes the name and drops characters that could break the header", () => {
  assert.equal(formatFrom("sam@mb.example", "Sam Sender"), '"Sam Sender" <sam@mb.example>');
  assert.equal(
    formatFrom("sam@mb.example", 'Sam "The" \\Man\r\nBcc: x'),
    '"Sam The Man Bcc: x" <sam@mb.example>',
  );
  assert.equal(formatFrom("sam@mb.example", "  "), "sam@mb.example");
});

Deno.test("newMessageId - unique, on the mailbox's domain, RFC 5322 shaped", () => {
  const a = newMessageId("tok_123", "MB.example");
  const b = newMessageId("tok_123", "MB.example");
  assert.match(a, /^<rf\.tok_123\.[a-z0-9]+@mb\.example>$/);
  assert.notEqual(a, b);
});

Deno.test("withOptOutLine - the text ends with the unsubscribe URL", () => {
  const text = withOptOutLine("Hi Dana,\n\nThanks,\nSam\n\n", "https://app.example/unsubscribe/abc");
  assert.ok(text.startsWith("Hi Dana,\n\nThanks,\nSam\n\n--\n"));
  assert.ok(text.trimEnd().endsWith("https://app.example/unsubscribe/abc"));
});

Deno.test("threadHeaders and followUpSubject - follow-ups thread on the earlier steps", () => {
  assert.deepEqual(threadHeaders(["<a@x>", "<b@x>"]), { inReplyTo: "<b@x>", references: "<a@x> <b@x>" });
  assert.deepEqual(threadHeaders([]), {});
  assert.equal(followUpSubject("", "Quick advice"), "Re: Quick advice");
  assert.equal(followUpSubject("", "Re: Re: Quick advice"), "Re: Quick advice");
  assert.equal(followUpSubject("Last follow-up", "Quick advice"), "Last follow-up");
});
