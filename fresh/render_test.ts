import assert from "node:assert/strict";
import { captureErrors, request } from "@/fresh/testdata/http.ts";
import { fixtureRunner } from "@/fresh/testdata/serve.ts";

const HTML = "text/html; charset=utf-8";
const withServer = fixtureRunner();

Deno.test("islands - a page with an island has markers, escaped props and the boot script", async () => {
  await withServer(async (base) => {
    const res = await request(base, "/counter");
    assert.equal(res.status, 200);
    assert.equal(res.type, HTML);
    assert.match(
      res.body,
      /<roleferry-island data-name="Counter" data-props-id="0" style="display:contents">/,
    );
    assert.ok(res.body.includes('<output id="count">3</output>'));
    const props = /<script type="application\/json" data-frsh-props="0">(.*?)<\/script>/.exec(res.body)?.[1];
    assert.equal(
      props,
      '{"start":3,"label":"\\u003c/script\\u003e\\u003c!--x\\u2028y","since":{"$date":"2026-01-02T03:04:05.000Z"}}',
    );
    assert.equal(res.body.includes("</script><!--x"), false);
    assert.match(
      res.body,
      /<script type="module" src="\/_frsh\/js\/boot-[A-Z0-9]{8}\.js"><\/script><\/body>/,
    );
    assert.match(res.body, /"Counter":"\/_frsh\/js\/Counter-[A-Z0-9]{8}\.js"/);
    assert.match(
      res.body,
      /<link rel="modulepreload" href="\/_frsh\/js\/Counter-[A-Z0-9]{8}\.js">.*<\/head>/,
    );
  });
});

Deno.test("islands - a page without islands loads no script", async () => {
  await withServer(async (base) => {
    const res = await request(base, "/users/new");
    assert.equal(res.status, 200);
    assert.equal(res.type, HTML);
    assert.equal(res.body.includes("<script"), false);
    assert.equal(res.body.includes("modulepreload"), false);
  });
});

Deno.test("islands - an unserializable prop fails the page, naming island and prop in the log", async () => {
  await withServer(async (base) => {
    let res!: Awaited<ReturnType<typeof request>>;
    const logged = await captureErrors(async () => {
      res = await request(base, "/bad_island");
    });
    assert.equal(res.status, 500);
    assert.equal(res.type, HTML);
    assert.ok(res.body.includes("Error 500: internal error"));
    assert.match(
      JSON.parse(logged).error.message,
      /island "Counter": prop "onPick" cannot be serialized \(function\)/,
    );
  });
});

Deno.test("assets - bundles have content-hashed names and an immutable cache", async () => {
  await withServer(async (base) => {
    const page = await request(base, "/counter");
    const boot = /src="(\/_frsh\/js\/boot-[A-Z0-9]{8}\.js)"/.exec(page.body)![1];
    const res = await request(base, boot);
    assert.equal(res.status, 200);
    assert.equal(res.type, "text/javascript; charset=utf-8");
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.match(res.body, /hydrate|data-frsh-hydrated/);
    const missing = await request(base, "/_frsh/js/boot-AAAAAAAA.js");
    assert.equal(missing.status, 404);
    assert.equal(missing.type, HTML);
  });
});

Deno.test("assets - static files are served from the root with a short cache and ETag", async () => {
  await withServer(async (base) => {
    const res = await request(base, "/css/site.css");
    assert.equal(res.status, 200);
    assert.equal(res.type, "text/css; charset=utf-8");
    assert.equal(res.body, "body {\n  color: red;\n}\n");
    assert.equal(res.headers.get("cache-control"), "public, max-age=300");
    const again = await request(base, "/css/site.css", {
      headers: { "if-none-match": res.headers.get("etag")! },
    });
    assert.equal(again.status, 304);
    assert.equal(again.body, "");
  });
});
