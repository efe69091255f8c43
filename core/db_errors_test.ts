import assert from "node:assert/strict";
import { isDatabaseUnavailable } from "./db_errors.ts";

function coded(code: string, message = "x"): Error {
  return Object.assign(new Error(message), { code });
}

Deno.test("isDatabaseUnavailable - connection loss and server shutdown count", () => {
  for (
    const code of ["CONNECTION_CLOSED", "CONNECT_TIMEOUT", "ECONNREFUSED", "57P01", "57P03", "08006", "53300"]
  ) {
    assert.equal(isDatabaseUnavailable(coded(code)), true, code);
  }
  assert.equal(isDatabaseUnavailable(new Error("x", { cause: coded("57P01") })), true);
});

Deno.test("isDatabaseUnavailable - query errors do not", () => {
  for (const code of ["23505", "22P02", "42P01", "40001"]) {
    assert.equal(isDatabaseUnavailable(coded(code)), false, code);
  }
  assert.equal(isDatabaseUnavailable(new Error("boom")), false);
  assert.equal(isDatabaseUnavailable(undefined), false);
});
