import assert from "node:assert/strict";
import { classifyError, classifyFetchFailure, classifyHttpFailure, multipart } from "./mailgun.ts";

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

Deno.test("multipart - reads back as the same form fields, line breaks as CRLF like FormData", async () => {
  const fields: [string, string][] = [
    ["from", "a@mb.example"],
    ["subject", 'Grüße — naïve "quotes"'],
    ["text", "Hi,\n\nline two\r\nline three\rend"],
    ["v:outreach", "tok"],
  ];
  const { body, contentType } = multipart(fields);
  const form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  assert.deepEqual([...form.keys()], fields.map(([k]) => k));
  assert.equal(form.get("subject"), fields[1][1]);
  assert.equal(form.get("text"), "Hi,\r\n\r\nline two\r\nline three\r\nend");
  const reference = new FormData();
  for (const [k, v] of fields) reference.append(k, v);
  const encoded = await new Response(reference).formData();
  assert.equal(form.get("text"), encoded.get("text"), "same as the runtime's FormData");
});

Deno.test("classifyHttpFailure and classifyFetchFailure - unsent only when the connection never opened", () => {
  assert.deepEqual(classifyHttpFailure(400, '{"message":"to is not valid"}'), {
    kind: "permanent",
    error: "mailgun 400: to is not valid",
    status: 400,
  });
  assert.equal(classifyHttpFailure(429, "slow down").kind, "temporary");
  assert.equal(classifyHttpFailure(502, "").kind, "temporary");
  const refused = new TypeError("fetch failed", {
    cause: new Error("client error (Connect): tcp connect error: Connection refused (os error 111)"),
  });
  assert.equal(classifyFetchFailure(refused).kind, "temporary");
  assert.equal(classifyFetchFailure(new DOMException("timed out", "TimeoutError")).kind, "uncertain");
  assert.equal(
    classifyFetchFailure(new TypeError("connection closed before message completed")).kind,
    "uncertain",
  );
  assert.equal(classifyFetchFailure("weird").kind, "uncertain");
});
