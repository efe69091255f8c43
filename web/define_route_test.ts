import assert from "node:assert/strict";
import { z } from "zod";
import { defineRoute, op, reply } from "./define_route.ts";
import { HttpError } from "@/core/http_error.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "./state.ts";
import type { AppContext } from "@/services/app_context.ts";

const app = { config: { env: "test" } } as unknown as AppContext;

function contextFor(req: Request, state: Partial<AppState> = {}): FreshContext<AppState> {
  return {
    req,
    url: new URL(req.url),
    params: {},
    route: "/api/thing",
    state: { requestId: "r1", app, ...state },
  } as unknown as FreshContext<AppState>;
}

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request("http://x/api/thing?limit=5", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });

const order: string[] = [];
const { handler, api } = defineRoute({
  POST: op({
    summary: "Make a thing",
    auth: "none",
    query: z.object({ limit: z.coerce.number().int().max(10) }),
    body: z.strictObject({ name: z.string().min(1) }),
    response: z.object({ name: z.string(), limit: z.number() }),
    status: 201,
    before: (ctx) => {
      order.push("before");
      if (ctx.req.headers.get("sec-fetch-site") === "cross-site") throw new HttpError(403, "cross-site");
    },
    handler: (_ctx, { body, query }) => {
      order.push("handler");
      return Promise.resolve(reply({ name: body.name, limit: query.limit }, { "cache-control": "no-store" }));
    },
  }),
});

Deno.test("defineRoute - checks before, query and body, then answers the data with the declared status", async () => {
  order.length = 0;
  const res = await handler.POST!(contextFor(post('{"name":"a"}')));
  assert.equal(res.status, 201);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.deepEqual(await res.json(), { name: "a", limit: 5 });
  assert.deepEqual(order, ["before", "handler"]);
});

Deno.test("defineRoute - `before` refuses ahead of the body: a cross-site post with a bad body is a 403", async () => {
  order.length = 0;
  await assert.rejects(
    () => Promise.resolve(handler.POST!(contextFor(post("{not json", { "sec-fetch-site": "cross-site" })))),
    (e) => e instanceof HttpError && e.status === 403,
  );
  assert.deepEqual(order, ["before"]);
});

Deno.test("defineRoute - a bad body is a 422 naming the field, and the handler does not run", async () => {
  order.length = 0;
  await assert.rejects(
    () => Promise.resolve(handler.POST!(contextFor(post('{"name":""}')))),
    (e) => e instanceof HttpError && e.status === 422 && "name" in (e.fields ?? {}),
  );
  assert.deepEqual(order, ["before"]);
});

Deno.test("defineRoute - auth user without a session is a 401 before anything is read", async () => {
  const route = defineRoute({
    GET: op({ summary: "Mine", auth: "user", handler: () => Promise.resolve({ ok: true }) }),
  });
  await assert.rejects(
    () => Promise.resolve(route.handler.GET!(contextFor(new Request("http://x/api/mine")))),
    (e) => e instanceof HttpError && e.status === 401,
  );
});

Deno.test("defineRoute - under test an answer that drifts from its response schema fails loudly", async () => {
  const route = defineRoute({
    GET: op({
      summary: "Drift",
      auth: "none",
      response: z.object({ count: z.number() }),
      handler: () => Promise.resolve({ count: "three" }),
    }),
  });
  await assert.rejects(
    () => Promise.resolve(route.handler.GET!(contextFor(new Request("http://x/api/drift")))),
    /answer does not match its declared response at count/,
  );
});

Deno.test("defineRoute - api carries the declaration without handler or before, for the OpenAPI document", () => {
  assert.equal(api.POST.summary, "Make a thing");
  assert.equal(api.POST.status, 201);
  assert.ok(api.POST.body);
  assert.equal("handler" in api.POST, false);
  assert.equal("before" in api.POST, false);
});
