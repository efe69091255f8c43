import assert from "node:assert/strict";
import { readCookie } from "@/core/cookies.ts";
import { readSessionToken, redirectToLogin, safeNext } from "./auth.ts";

Deno.test("safeNext - only local paths; anything else goes home", () => {
  assert.equal(safeNext("/jobs?q=go"), "/jobs?q=go");
  for (const bad of [null, "", "//evil.test", "/\\evil.test", "https://evil.test", "jobs"]) {
    assert.equal(safeNext(bad), "/");
  }
});

Deno.test("safeNext - parsed as a URL: control characters refused, the rest serialized as ASCII", () => {
  for (
    const bad of [
      "/\t/evil.test",
      "/\n/evil.test",
      "/x\r\nSet-Cookie: a=1",
      "/a\0b",
      "/\u007f",
      "/" + "a".repeat(2001),
    ]
  ) {
    assert.equal(safeNext(bad), "/", JSON.stringify(bad));
  }
  assert.equal(safeNext("/jobs/\u2603?q=\u00e9#top"), "/jobs/%E2%98%83?q=%C3%A9#top");
  assert.equal(safeNext("/a/../settings"), "/settings");
  assert.equal(safeNext("/%2F%2Fevil.test"), "/%2F%2Fevil.test"); // stays a path on this site
});

Deno.test("readSessionToken - a bearer token wins over the cookie; malformed ones count as none", () => {
  const token = "A".repeat(43);
  const both = new Request("http://x/", {
    headers: { authorization: `Bearer ${token}`, cookie: `rf_session=${"B".repeat(43)}` },
  });
  assert.deepEqual(readSessionToken(both), { token, via: "bearer" });
  const cookie = new Request("http://x/", { headers: { cookie: `theme=dark; rf_session=${token}` } });
  assert.deepEqual(readSessionToken(cookie), { token, via: "cookie" });
  assert.equal(
    readSessionToken(new Request("http://x/", { headers: { authorization: "Bearer x' or 1=1" } })),
    undefined,
  );
  assert.equal(
    readSessionToken(new Request("http://x/", { headers: { cookie: "rf_session=short" } })),
    undefined,
  );
  assert.equal(readCookie(new Request("http://x/", { headers: { cookie: "a=1;b=2" } }), "b"), "2");
});

Deno.test("redirectToLogin - 303 to the login with the way back", () => {
  const res = redirectToLogin(new URL("http://x/jobs?q=a b"));
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), `/login?next=${encodeURIComponent("/jobs?q=a%20b")}`);
});
