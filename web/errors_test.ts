import assert from "node:assert/strict";
import { HttpError } from "@/core/http_error.ts";
import { log } from "@/core/log.ts";
import type { ErrorContext } from "@/fresh/errors.ts";
import { captureErrors } from "@/fresh/testdata/http.ts";
import { createErrorHandler, isJsonPath } from "./errors.ts";

const errorResponse = createErrorHandler(log);

/** The context of a failed request, with an error page that shows what it was asked to render. */
function failed(path: string, state: unknown = {}): ErrorContext {
  const url = new URL(`http://x${path}`);
  return {
    req: new Request(url),
    url,
    params: {},
    state,
    renderErrorPage: (status, message, headers) =>
      new Response(`page ${status} ${message}`, { status, headers }),
  };
}

Deno.test("isJsonPath - covers /api and /webhooks and nothing that only starts alike", () => {
  assert.equal(isJsonPath("/api"), true);
  assert.equal(isJsonPath("/api/jobs"), true);
  assert.equal(isJsonPath("/webhooks/mailgun"), true);
  assert.equal(isJsonPath("/healthz"), true);
  assert.equal(isJsonPath("/metrics"), true);
  assert.equal(isJsonPath("/apis"), false);
  assert.equal(isJsonPath("/jobs/api"), false);
});

Deno.test("errorResponse - a plain error is a clean 500 logged with the request id", async () => {
  let res!: Response;
  const logged = await captureErrors(() => {
    res = errorResponse(new Error("db password=x"), failed("/api/a", { requestId: "r-1" }));
  });
  assert.equal(res.status, 500);
  assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
  assert.deepEqual(await res.json(), {
    error: { code: "internal", message: "internal error", request_id: "r-1" },
  });
  const entry = JSON.parse(logged);
  assert.equal(entry.request_id, "r-1");
  assert.equal(entry.path, "/api/a");
  assert.equal(entry.status, 500);
  assert.equal(entry.error.message, "db password=x");
});

Deno.test("errorResponse - an HttpError below 500 is not logged and keeps its headers", async () => {
  let res!: Response;
  const logged = await captureErrors(() => {
    res = errorResponse(
      new HttpError(401, "sign in", { headers: { "www-authenticate": "Bearer" } }),
      failed("/jobs"),
    );
  });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("www-authenticate"), "Bearer");
  assert.equal(await res.text(), "page 401 sign in");
  assert.equal(logged, "");
});

Deno.test("errorResponse - a lost database connection is a 503 with Retry-After, not a 500", async () => {
  const lost = Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), {
    code: "CONNECTION_CLOSED",
  });
  let res!: Response;
  await captureErrors(() => {
    res = errorResponse(lost, failed("/api/jobs", { requestId: "r-2" }));
  });
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(res.headers.get("retry-after"), "5");
  assert.equal((await res.json()).error.code, "unavailable");
});
