import assert from "node:assert/strict";
import { classifyError, classifyFetchFailure, classifyHttpFailure, multipart, retryTime } from "./mailgun.ts";

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

Deno.test("classifyHttpFailure - Mailgun 420 and 429 are temporary and carry the time they name", () => {
  const now = new Date("2026-11-30T10:00:00Z");
  const body = JSON.stringify({
    message: "Domain mb.example is not allowed to send: recipient limit exceeded, try again after " +
      "Mon, 30 Nov 2026 11:30:00 UTC",
  });
  const limited = classifyHttpFailure(420, body, null, now);
  assert.equal(limited.kind, "temporary");
  assert.equal(limited.retryAt?.toISOString(), "2026-11-30T11:30:00.000Z");
  assert.match(limited.error, /^mailgun 420: Domain mb\.example is not allowed to send/);
  const header = classifyHttpFailure(429, "Too many requests", "120", now);
  assert.deepEqual([header.kind, header.retryAt?.toISOString()], ["temporary", "2026-11-30T10:02:00.000Z"]);
  assert.equal(classifyHttpFailure(503, "", null, now).retryAt, undefined);
  assert.equal(classifyHttpFailure(400, "bad", null, now).kind, "permanent");
});

Deno.test("retryTime - 'try again in N minutes', ISO dates; past or far-off times are ignored", () => {
  const now = new Date("2026-11-30T10:00:00Z");
  assert.equal(
    retryTime("Rate limited, try again in 5 minutes", null, now)?.toISOString(),
    "2026-11-30T10:05:00.000Z",
  );
  assert.equal(
    retryTime("try again after 2026-11-30T12:00:00Z.", null, now)?.toISOString(),
    "2026-11-30T12:00:00.000Z",
  );
  assert.equal(retryTime("try again after Sun, 29 Nov 2026 09:00:00 UTC", null, now), undefined);
  assert.equal(retryTime("try again after Tue, 29 Dec 2026 09:00:00 UTC", null, now), undefined);
  assert.equal(retryTime("no time here", null, now), undefined);
});
