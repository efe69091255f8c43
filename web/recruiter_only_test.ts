import assert from "node:assert/strict";
import type { FreshContext } from "@/fresh/types.ts";
import { HttpError } from "@/core/http_error.ts";
import { recruiterOnly } from "./recruiter_only.ts";
import type { AppState, SessionUser } from "./state.ts";

function ctxFor(user: SessionUser | undefined, params: Record<string, string> = {}): FreshContext<AppState> {
  const req = new Request("http://x/api/roles/1/candidates", { method: "POST", body: "{not json" });
  return { req, url: new URL(req.url), params, state: { user } } as unknown as FreshContext<AppState>;
}

const user = (mode: string): SessionUser => ({ id: 1, email: "u@x.test", full_name: null, mode });

function status(run: () => void): number {
  try {
    run();
    return 200;
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return error.status;
  }
}

Deno.test("recruiterOnly - a job seeker (or no user) gets 404, a recruiter passes", () => {
  const check = recruiterOnly();
  assert.equal(status(() => check(ctxFor(user("job_seeker")))), 404);
  assert.equal(status(() => check(ctxFor(undefined))), 404);
  assert.equal(status(() => check(ctxFor(user("recruiter")))), 200);
});

Deno.test("recruiterOnly - a malformed id in the path is a 404 naming what it names", () => {
  const check = recruiterOnly({ id: "role", cid: "candidate" });
  assert.equal(status(() => check(ctxFor(user("recruiter"), { id: "7", cid: "12" }))), 200);
  assert.throws(
    () => check(ctxFor(user("recruiter"), { id: "7", cid: "x" })),
    (e) => e instanceof HttpError && e.status === 404 && e.message === "candidate not found",
  );
  assert.equal(status(() => check(ctxFor(user("job_seeker"), { id: "x" }))), 404);
});
