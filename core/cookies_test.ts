import assert from "node:assert/strict";
import { readCookie } from "./cookies.ts";

const withCookie = (cookie: string) => new Request("http://x/", { headers: { cookie } });

Deno.test("readCookie - finds one cookie among several, spaces trimmed", () => {
  assert.equal(readCookie(withCookie("a=1;b=2"), "b"), "2");
  assert.equal(readCookie(withCookie("theme=dark; rf_admin= tok "), "rf_admin"), "tok");
});

Deno.test("readCookie - a missing cookie, a prefix of a name or no header is undefined", () => {
  assert.equal(readCookie(withCookie("ab=1"), "a"), undefined);
  assert.equal(readCookie(withCookie("=1; a"), "a"), undefined);
  assert.equal(readCookie(new Request("http://x/"), "a"), undefined);
});
