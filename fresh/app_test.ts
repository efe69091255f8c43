import assert from "node:assert/strict";
import { captureErrors, request } from "@/fresh/testdata/http.ts";
import { fixtureDir, fixtureRunner } from "@/fresh/testdata/serve.ts";
import { createApp } from "./app.ts";

const HTML = "text/html; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";
const withServer = fixtureRunner();

Deno.test("routes - index maps to its folder and pages render as full documents", async () => {
  await withServer(async (base) => {
    const res = await request(base, "/");
    assert.equal(res.status, 200);
    assert.equal(res.type, HTML);
    assert.match(res.body, /^<!DOCTYPE html><html lang="en"><head>.*<title>Fixture<\/title>/);
    assert.ok(res.body.includes('<div class="root-layout"><h1>Home</h1></div>'));
    const users = await request(base, "/users/");
    assert.equal(users.status, 200);
    assert.equal(users.type, HTML);
    assert.ok(users.body.includes("users index"));
  });
});

Deno.test("routes - static segments win over [param], [param] over [...rest]", async () => {
  await withServer(async (base) => {
    for (
      const [path, text] of [
        ["/users/new", "new user form"],
        ["/users/42", "user 42"],
        ["/files/readme", "static readme"],
        ["/files/readme/more", "file [readme/more]"],
        ["/docs/intro", "doc slug intro"],
        ["/docs/intro/part-2", "doc rest intro/part-2"],
      ]
    ) {
      const res = await request(base, path);
      assert.equal(res.status, 200, path);
      assert.equal(res.type, HTML);
      assert.ok(res.body.includes(text), `${path}: ${res.body}`);
    }
  });
});

Deno.test("routes - params are decoded and [...rest] joins the remaining segments", async () => {
  await withServer(async (base) => {
    const user = await request(base, "/users/J%C3%BCrgen");
    assert.equal(user.status, 200);
    assert.equal(user.type, HTML);
    assert.ok(user.body.includes("user Jürgen"));
    const file = await request(base, "/files/a/b%20c/d.txt");
    assert.equal(file.status, 200);
    assert.equal(file.type, HTML);
    assert.ok(file.body.includes("file [a/b c/d.txt]"));
  });
});

Deno.test("routes - a (group) folder adds its layout but no path segment", async () => {
  await withServer(async (base) => {
    const res = await request(base, "/pricing");
    assert.equal(res.status, 200);
    assert.equal(res.type, HTML);
    assert.ok(res.body.includes('<div class="root-layout"><div class="marketing"><p id="pricing">'));
    const grouped = await request(base, "/(marketing)/pricing");
    assert.equal(grouped.status, 404);
  });
});

Deno.test("layouts - nest from the outer folder in, and ctx.render keeps the headers it is given", async () => {
  await withServer(async (base) => {
    const res = await request(base, "/users/7");
    assert.equal(res.status, 200);
    assert.equal(res.type, HTML);
    assert.equal(res.headers.get("x-user"), "7");
    assert.ok(
      res.body.includes('<div class="root-layout"><section class="users-layout"><p id="user">user 7'),
    );
  });
});

Deno.test("middleware - runs outer before inner, in array order, and passes state on", async () => {
  await withServer(async (base) => {
    const page = await request(base, "/users/7");
    assert.equal(page.status, 200);
    assert.equal(page.type, HTML);
    assert.ok(page.body.includes("trail root>users>users2"));
    assert.equal(page.headers.get("x-trail-after"), "root>users>users2");
    const api = await request(base, "/api/echo?q=hi");
    assert.equal(api.status, 200);
    assert.equal(api.type, "application/json");
    assert.deepEqual(JSON.parse(api.body), { trail: ["root", "api"], requestId: "req-42", q: "hi" });
  });
});

Deno.test("routes - an unknown page path answers the _404 page", async () => {
  await withServer(async (base) => {
    const res = await request(base, "/no/such/page");
    assert.equal(res.status, 404);
    assert.equal(res.type, HTML);
    assert.ok(res.body.includes('<h1 id="not-found">Page not found: /no/such/page (not found)</h1>'));
  });
});

Deno.test("routes - an unknown /api path answers JSON 404", async () => {
  await withServer(async (base) => {
    const res = await request(base, "/api/nope");
    assert.equal(res.status, 404);
    assert.equal(res.type, JSON_TYPE);
    assert.deepEqual(JSON.parse(res.body), {
      error: { code: "not_found", message: "not found", request_id: "req-42" },
    });
  });
});

Deno.test("methods - an unexported method answers 405 with Allow (JSON under /api)", async () => {
  await withServer(async (base) => {
    const api = await request(base, "/api/echo", { method: "DELETE" });
    assert.equal(api.status, 405);
    assert.equal(api.type, JSON_TYPE);
    assert.equal(api.headers.get("allow"), "GET, HEAD, POST");
    assert.deepEqual(JSON.parse(api.body), {
      error: { code: "method_not_allowed", message: "DELETE is not allowed here", request_id: "req-42" },
    });
    const page = await request(base, "/form", { method: "PUT" });
    assert.equal(page.status, 405);
    assert.equal(page.type, HTML);
    assert.equal(page.headers.get("allow"), "GET, HEAD, POST");
    assert.ok(page.body.includes("Error 405: PUT is not allowed here"));
    const pageOnly = await request(base, "/users/new", { method: "POST" });
    assert.equal(pageOnly.status, 405);
    assert.equal(pageOnly.headers.get("allow"), "GET, HEAD");
  });
});

Deno.test("methods - a handler function answers every method and handler objects get their method", async () => {
  await withServer(async (base) => {
    const any = await request(base, "/api/any", { method: "PATCH" });
    assert.equal(any.status, 200);
    assert.equal(any.type, "text/plain");
    assert.equal(any.body, "method PATCH");
    const posted = await request(base, "/api/echo", { method: "POST", body: JSON.stringify({ a: 1 }) });
    assert.equal(posted.status, 201);
    assert.equal(posted.type, "application/json");
    assert.deepEqual(JSON.parse(posted.body), { got: { a: 1 } });
  });
});

Deno.test("methods - HEAD is served by GET without a body", async () => {
  await withServer(async (base) => {
    const page = await request(base, "/users/7", { method: "HEAD" });
    assert.equal(page.status, 200);
    assert.equal(page.type, HTML);
    assert.equal(page.body, "");
    const api = await request(base, "/api/echo", { method: "HEAD" });
    assert.equal(api.status, 200);
    assert.equal(api.type, "application/json");
    assert.equal(api.body, "");
  });
});

Deno.test("errors - an HttpError under /api answers its status, code, fields and headers", async () => {
  await withServer(async (base) => {
    const invalid = await request(base, "/api/invalid", { method: "POST" });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.type, JSON_TYPE);
    assert.deepEqual(JSON.parse(invalid.body), {
      error: {
        code: "invalid",
        message: "invalid values",
        fields: { email: "required" },
        request_id: "req-42",
      },
    });
    const limited = await request(base, "/api/limited");
    assert.equal(limited.status, 429);
    assert.equal(limited.type, JSON_TYPE);
    assert.equal(limited.headers.get("retry-after"), "7");
    assert.deepEqual(JSON.parse(limited.body), {
      error: { code: "rate_limited", message: "slow down", request_id: "req-42" },
    });
  });
});

Deno.test("errors - a plain Error under /api and /webhooks answers a clean JSON 500 and is logged", async () => {
  await withServer(async (base) => {
    let api!: Awaited<ReturnType<typeof request>>;
    let hook!: Awaited<ReturnType<typeof request>>;
    const logged = await captureErrors(async () => {
      api = await request(base, "/api/fail");
      hook = await request(base, "/webhooks/mail", { method: "POST" });
    });
    assert.equal(api.status, 500);
    assert.equal(api.type, JSON_TYPE);
    assert.deepEqual(JSON.parse(api.body), {
      error: { code: "internal", message: "internal error", request_id: "req-42" },
    });
    assert.equal(hook.status, 500);
    assert.equal(hook.type, JSON_TYPE);
    assert.deepEqual(JSON.parse(hook.body), {
      error: { code: "internal", message: "internal error", request_id: "req-42" },
    });
    assert.match(
      logged,
      /"request_id":"req-42","method":"GET","path":"\/api\/fail","status":500,.*secret: password=hunter2/,
    );
    assert.match(
      logged,
      /"method":"POST","path":"\/webhooks\/mail","status":500,"error":\{"name":"TypeError"/,
    );
  });
});

Deno.test("errors - pages answer _404 for HttpError 404 and _500 with the status otherwise", async () => {
  await withServer(async (base) => {
    const gone = await request(base, "/gone");
    assert.equal(gone.status, 404);
    assert.equal(gone.type, HTML);
    assert.ok(gone.body.includes("Page not found: /gone (that job was removed)"));
    const secret = await request(base, "/secret");
    assert.equal(secret.status, 403);
    assert.equal(secret.type, HTML);
    assert.ok(secret.body.includes('<h1 id="error">Error 403: members only</h1>'));
  });
});

Deno.test("errors - a page that throws answers the _500 page without details", async () => {
  await withServer(async (base) => {
    let res!: Awaited<ReturnType<typeof request>>;
    const logged = await captureErrors(async () => {
      res = await request(base, "/boom");
    });
    assert.equal(res.status, 500);
    assert.equal(res.type, HTML);
    assert.ok(res.body.includes('<h1 id="error">Error 500: internal error</h1>'));
    assert.equal(res.body.includes("exploded"), false);
    assert.equal(res.body.includes("/srv/secret"), false);
    assert.match(logged, /"path":"\/boom","status":500,"error":\{"name":"Error","message":"render exploded/);
  });
});

Deno.test("createApp - without onError and httpError, 404 and 405 are error pages with their status", async () => {
  const empty = await Deno.makeTempDir({ prefix: "fresh-no-islands-" });
  try {
    const { fetch } = await createApp({
      routesDir: fixtureDir("routes"),
      islandsDir: empty,
      staticDir: fixtureDir("static"),
      buildDir: empty,
      initState: () => ({ trail: [] }),
    });
    const missing = await fetch(new Request("http://x/api/nope"));
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("content-type"), HTML);
    assert.ok((await missing.text()).includes("Page not found: /api/nope (not found)"));
    const put = await fetch(new Request("http://x/form", { method: "PUT" }));
    assert.equal(put.status, 405);
    assert.equal(put.headers.get("allow"), "GET, HEAD, POST");
    assert.ok((await put.text()).includes("Error 405: PUT is not allowed here"));
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});
