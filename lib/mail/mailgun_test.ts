import assert from "node:assert/strict";
import { classifyError } from "./mailgun.ts";

// mailgun.js 14 wraps every failure in an APIError {status, message, details}; a network failure becomes
// status 400 with the error code as its message.
const apiError = (status: number, message: string, details = "") => ({
  status,
  message,
  details,
  type: "MailgunAPIError",
});

Deno.test("classifyError - HTTP 429 and 5xx are temporary, other 4xx permanent", () => {
  assert.equal(classifyError(apiError(429, "TOO MANY REQUESTS")).kind, "temporary");
  assert.equal(classifyError(apiError(503, "SERVICE UNAVAILABLE")).kind, "temporary");
  const refused = classifyError(apiError(400, "BAD REQUEST", "'to' parameter is not a valid address"));
  assert.deepEqual(refused, {
    kind: "permanent",
    error: "mailgun 400: 'to' parameter is not a valid address",
    status: 400,
  });
  assert.equal(classifyError(apiError(401, "UNAUTHORIZED", "Forbidden")).kind, "permanent");
});

Deno.test("classifyError - a network failure disguised as a 400 is uncertain, unless nothing was sent", () => {
  assert.equal(classifyError(apiError(400, "ECONNRESET", "socket hang up")).kind, "uncertain");
  assert.equal(classifyError(apiError(400, "ECONNABORTED", "timeout of 300ms exceeded")).kind, "uncertain");
  assert.equal(classifyError(apiError(400, "ERR_NETWORK", "Network Error")).kind, "uncertain");
  assert.equal(classifyError(apiError(400, "ECONNREFUSED", "connect ECONNREFUSED")).kind, "temporary");
  assert.equal(
    classifyError(new Error("boom")).kind,
    "uncertain",
    "an unknown error shape is never assumed unsent",
  );
});
