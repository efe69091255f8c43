import assert from "node:assert/strict";
import { captureErrors } from "@/fresh/testdata/http.ts";
import { backstopResponse, defaultHttpError, defaultOnError, type ErrorContext } from "./errors.ts";

/** The context of a failed request, with an error page that shows what it was asked to render. */
function failed(path: string): ErrorContext {
  const url = new URL(`http://x${path}`);
  return {
    req: new Request(url),
    url,
    params: {},
    state: {},
    renderErrorPage: (status, message, headers) =>
      new Response(`page ${status} ${message}`, { status, headers }),
  };
}

Deno.test("defaultHttpError - an Error carrying status and headers, mapped by defaultOnError as given", async () => {
  const err = defaultHttpError(405, "PUT is not allowed here", { allow: "GET, HEAD" });
  assert.ok(err instanceof Error);
  let res!: Response;
  const logged = await captureErrors(() => {
    res = defaultOnError(err, failed("/form"));
  });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "GET, HEAD");
  assert.equal(await res.text(), "page 405 PUT is not allowed here");
  assert.equal(logged, "");
});

Deno.test("defaultOnError - an error without a status is a logged 500 that shows no message", async () => {
  let res!: Response;
  const logged = await captureErrors(() => {
    res = defaultOnError(new Error("password=hunter2"), failed("/boom"));
  });
  assert.equal(res.status, 500);
  assert.equal(await res.text(), "page 500 internal error");
  assert.match(logged, /GET \/boom failed Error: password=hunter2/);
});

Deno.test("defaultOnError - a status outside 400-599 counts as none", async () => {
  await captureErrors(async () => {
    const res = defaultOnError(Object.assign(new Error("moved"), { status: 302 }), failed("/x"));
    assert.equal(res.status, 500);
    assert.equal(await res.text(), "page 500 internal error");
  });
});

Deno.test("backstopResponse - a bare text 500 that shows nothing of the error", async () => {
  let res!: Response;
  const logged = await captureErrors(() => {
    res = backstopResponse(new Error("onError broke: secret"));
  });
  assert.equal(res.status, 500);
  assert.equal(res.headers.get("content-type"), "text/plain");
  assert.equal(await res.text(), "internal error");
  assert.match(logged, /unhandled error Error: onError broke/);
});
