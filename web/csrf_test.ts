import assert from "node:assert/strict";
import { checkOrigin, csrfTokenFor, verifyCsrf } from "./csrf.ts";
import { HttpError } from "@/core/http_error.ts";

const post = (headers: Record<string, string>, body?: string) =>
  new Request("http://app.test/api/resume", { method: "POST", headers, body });

async function status(fn: () => unknown): Promise<number> {
  try {
    await fn();
    return 200;
  } catch (error) {
    return error instanceof HttpError ? error.status : 500;
  }
}

Deno.test("csrfTokenFor - bound to the session token, stable, 64 hex characters", async () => {
  const a = await csrfTokenFor("session-a-0123456789");
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(a, await csrfTokenFor("session-a-0123456789"));
  assert.notEqual(a, await csrfTokenFor("session-b-0123456789"));
});

Deno.test("checkOrigin - refuses other origins, opaque origins and cross-site fetches; allows ours and none", async () => {
  assert.equal(await status(() => checkOrigin(post({ origin: "http://app.test" }), "")), 200);
  assert.equal(await status(() => checkOrigin(post({}), "")), 200);
  assert.equal(await status(() => checkOrigin(post({ origin: "https://evil.test" }), "")), 403);
  assert.equal(await status(() => checkOrigin(post({ origin: "null" }), "")), 403);
  assert.equal(await status(() => checkOrigin(post({ "sec-fetch-site": "cross-site" }), "")), 403);
  assert.equal(
    await status(() =>
      checkOrigin(new Request("http://app.test/", { headers: { origin: "https://evil.test" } }), "")
    ),
    200,
  ); // GET
});

Deno.test("verifyCsrf - the header or the form field must carry the session's token", async () => {
  const session = "session-token-0123456789";
  const token = await csrfTokenFor(session);
  assert.equal(await status(() => verifyCsrf(post({ "x-csrf-token": token }), session, "")), 200);
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const req = post(form, `a=1&_csrf=${token}`);
  assert.equal(await status(() => verifyCsrf(req, session, "")), 200);
  assert.equal(await req.text(), `a=1&_csrf=${token}`); // the body is still there for the route
  assert.equal(await status(() => verifyCsrf(post(form, "_csrf=" + "0".repeat(64)), session, "")), 403);
  assert.equal(
    await status(() => verifyCsrf(post({ "x-csrf-token": token }), "another-session-0123", "")),
    403,
  );
  assert.equal(await status(() => verifyCsrf(post({}), session, "")), 403);
});

Deno.test("verifyCsrf - a big form without the header is a 413 after 1 MiB, never read whole", async () => {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= 20 * 1024 * 1024) return controller.close();
      pulled += 64 * 1024;
      controller.enqueue(new TextEncoder().encode("a=".padEnd(64 * 1024, "x")));
    },
  });
  const init: RequestInit & { duplex: "half" } = {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    duplex: "half",
  };
  const req = new Request("http://app.test/settings", init);
  assert.equal(await status(() => verifyCsrf(req, "session-token-0123456789", "")), 413);
  assert.ok(pulled < 2 * 1024 * 1024, `pulled ${pulled} bytes of 20 MiB`);
});
