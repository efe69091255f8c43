import assert from "node:assert/strict";
import type { FreshContext } from "@/fresh/types.ts";
import { HttpError } from "@/core/http_error.ts";
import type { AppState } from "./state.ts";
import { type FormAction, formActions } from "./form_actions.ts";

function post(fields: Record<string, string>): FreshContext<AppState> {
  const req = new Request("http://x/page", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  return { req, url: new URL(req.url), params: {}, state: {} } as unknown as FreshContext<AppState>;
}

/** An action that answers its own name and the `value` field, as a header and the body. */
const answer = (name: string): FormAction<string> => (_ctx, { form, guarded }) =>
  Promise.resolve(new Response(`${guarded}:${form.get("value")}`, { headers: { "x-action": name } }));

const guard = () => Promise.resolve("ada");

Deno.test("formActions - runs the action the hidden field names, with the form and the guard's answer", async () => {
  const handler = formActions({ field: "form", guard, actions: { one: answer("one"), two: answer("two") } });
  const res = await handler(post({ form: "two", value: "42" }));
  assert.equal(res.headers.get("x-action"), "two");
  assert.equal(await res.text(), "ada:42");
});

Deno.test("formActions - the field is `_action` unless said", async () => {
  const handler = formActions({ guard, actions: { save: answer("save") } });
  assert.equal((await handler(post({ _action: "save" }))).headers.get("x-action"), "save");
});

Deno.test("formActions - an undeclared or inherited name is a 422 naming the field, or the fallback", async () => {
  const strict = formActions({ field: "form", guard, actions: { one: answer("one") } });
  for (const wanted of ["nope", "", "constructor", "__proto__", "toString"]) {
    await assert.rejects(strict(post({ form: wanted })), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.status, 422);
      assert.deepEqual(error.fields, { form: "unknown form" });
      return true;
    });
  }
  const lenient = formActions({ field: "form", guard, fallback: "one", actions: { one: answer("one") } });
  assert.equal((await lenient(post({ value: "7" }))).headers.get("x-action"), "one");
  assert.equal((await lenient(post({ form: "constructor" }))).headers.get("x-action"), "one");
});

Deno.test("formActions - the guard runs before the form is read, and refusing stops the action", async () => {
  let ran = false;
  const handler = formActions({
    field: "form",
    guard: async (ctx) => {
      // what the CSRF check does: read a copy of the body, possible only while the form is unread
      assert.equal(new URLSearchParams(await ctx.req.clone().text()).get("form"), "one");
      throw new HttpError(403, "missing or invalid CSRF token");
    },
    actions: {
      one: () => {
        ran = true;
        return Promise.resolve(new Response("ran"));
      },
    },
  });
  await assert.rejects(
    handler(post({ form: "one" })),
    (error: unknown) => (error as HttpError).status === 403,
  );
  assert.equal(ran, false);
});
