import assert from "node:assert/strict";
import { bodyLimitFor, limitRequestBody } from "./body_limit.ts";
import { HttpError } from "@/core/http_error.ts";
import { readBody } from "@/core/validate.ts";

/** An endless chunked body that counts how many bytes were pulled from it. */
function endless(chunk = 64 * 1024) {
  const counter = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulled += chunk;
      controller.enqueue(new Uint8Array(chunk));
    },
  });
  return { body, counter };
}

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  const init: RequestInit & { duplex: "half" } = { method: "POST", body, headers, duplex: "half" };
  return new Request("http://app.test/settings", init);
}

async function statusOf(work: Promise<unknown>): Promise<number> {
  try {
    await work;
    return 200;
  } catch (error) {
    return error instanceof HttpError ? error.status : 500;
  }
}

Deno.test("limitRequestBody - an endless chunked body is a 413 after the limit, read no further", async () => {
  const { body, counter } = endless();
  const req = limitRequestBody(
    post(body, { "content-type": "application/x-www-form-urlencoded" }),
    1024 * 1024,
  );
  assert.equal(await statusOf(req.formData()), 413);
  assert.ok(counter.pulled <= 1024 * 1024 + 4 * 64 * 1024, `pulled ${counter.pulled} bytes`);
});

Deno.test("limitRequestBody - every reader sees the 413: readBody, text(), a clone", async () => {
  for (
    const read of [
      (r: Request) => readBody(r, 10 * 1024 * 1024),
      (r: Request) => r.text(),
      (r: Request) => r.clone().arrayBuffer(),
    ]
  ) {
    const req = limitRequestBody(post(endless().body), 256 * 1024);
    assert.equal(await statusOf(read(req)), 413);
  }
});

Deno.test("limitRequestBody - a declared Content-Length over the limit fails before a byte is pulled", async () => {
  const { body, counter } = endless();
  const req = limitRequestBody(post(body, { "content-length": String(5 * 1024 * 1024) }), 1024 * 1024);
  assert.equal(await statusOf(req.arrayBuffer()), 413);
  assert.ok(counter.pulled <= 4 * 64 * 1024, `pulled ${counter.pulled} bytes`);
});

Deno.test("limitRequestBody - a body within the limit arrives whole; no body stays none", async () => {
  const req = limitRequestBody(
    post("a=1&_csrf=x", { "content-type": "application/x-www-form-urlencoded" }),
    11,
  );
  assert.equal(await req.text(), "a=1&_csrf=x");
  assert.equal(req.method, "POST");
  assert.equal(req.headers.get("content-type"), "application/x-www-form-urlencoded");
  const get = new Request("http://app.test/");
  assert.equal(limitRequestBody(get), get);
});

Deno.test("bodyLimitFor - 1 MiB by default; the inbound webhook and the contacts import get more", () => {
  assert.equal(bodyLimitFor("/settings"), 1024 * 1024);
  assert.equal(bodyLimitFor("/api/resume"), 1024 * 1024);
  assert.equal(bodyLimitFor("/webhooks/mailgun/inbound"), 25 * 1024 * 1024);
  assert.equal(bodyLimitFor("/api/companies/7/contacts/import"), 5 * 1024 * 1024);
  assert.equal(bodyLimitFor("/api/companies/7/contacts/import/x"), 1024 * 1024);
});
