import assert from "node:assert/strict";
import type { FreshContext, Handlers } from "@/fresh/types.ts";
import { HttpError } from "@/core/http_error.ts";
import { recruiterOnly } from "./recruiter_only.ts";
import type { AppState, SessionUser } from "./state.ts";

/** A bearer-authenticated request context (no CSRF check applies to bearer tokens). */
function ctxFor(user: SessionUser | undefined): FreshContext<AppState> {
  const req = new Request("http://x/api/roles", { method: "POST", body: "{not json" });
  return {
    req,
    url: new URL(req.url),
    params: {},
    state: { user, authVia: "bearer" },
  } as unknown as FreshContext<
    AppState
  >;
}

const user = (mode: string): SessionUser => ({ id: 1, email: "u@x.test", full_name: null, mode });

async function status(run: () => Response | Promise<Response>): Promise<number> {
  try {
    await run();
    return 200;
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return error.status;
  }
}

Deno.test("recruiterOnly - a job seeker gets 404 before the route reads anything", async () => {
  let ran = 0;
  const handlers: Handlers<AppState> = { POST: () => (ran++, Promise.resolve(new Response("ok"))) };
  const { handler } = recruiterOnly({ handler: handlers });
  assert.equal(await status(() => handler.POST!(ctxFor(user("job_seeker")))), 404);
  assert.equal(ran, 0);
});

Deno.test("recruiterOnly - no user is 401; a recruiter reaches the route", async () => {
  const handler: Handlers<AppState> = { GET: () => Promise.resolve(new Response("ok")) };
  const route = { handler, api: { GET: "kept" } };
  const wrapped = recruiterOnly(route);
  assert.equal(wrapped.api, route.api);
  assert.equal(await status(() => wrapped.handler.GET!(ctxFor(undefined))), 401);
  const answer = await wrapped.handler.GET!(ctxFor(user("recruiter")));
  assert.equal(await answer.text(), "ok");
});
