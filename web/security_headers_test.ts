import assert from "node:assert/strict";
import { securityHeaderEntries, securityHeaders } from "./security_headers.ts";

Deno.test("securityHeaders - CSP allows same-origin scripts only, no inline or eval", () => {
  const headers = securityHeaders();
  const csp = headers["content-security-policy"];
  const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src "));
  assert.equal(scriptSrc, "script-src 'self'");
  assert.doesNotMatch(csp, /unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /object-src 'none'/);
  assert.equal(headers["x-content-type-options"], "nosniff");
  assert.equal(headers["x-frame-options"], "DENY");
  assert.equal(headers["strict-transport-security"], undefined);
});

Deno.test("securityHeaders - production adds HSTS", () => {
  assert.match(securityHeaders({ production: true })["strict-transport-security"], /^max-age=31536000/);
});

Deno.test("securityHeaderEntries - the same pairs as securityHeaders, built once per flag", () => {
  assert.deepEqual(Object.fromEntries(securityHeaderEntries(true)), securityHeaders({ production: true }));
  assert.deepEqual(Object.fromEntries(securityHeaderEntries(false)), securityHeaders());
  assert.equal(securityHeaderEntries(true), securityHeaderEntries(true));
});
