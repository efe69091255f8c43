import assert from "node:assert/strict";
import Mailgun from "mailgun.js";
import { startFakeMailgun, startFakeMailgunProcess } from "./fake_mailgun.ts";

Deno.test("fake Mailgun - accepts mailgun.js sends, counts per outreach, answers the events lookup as Mailgun", async () => {
  const fake = startFakeMailgun();
  try {
    const client = new Mailgun(FormData).client({ username: "api", key: fake.apiKey, url: fake.url });
    const sent = await client.messages.create("mb.example", {
      from: "a@mb.example",
      to: ["b@c.example"],
      subject: "Hi",
      text: "Body",
      "v:outreach": "tok-1",
      "h:List-Unsubscribe": "<http://x/unsubscribe/1>",
    });
    assert.equal(sent.status, 200);
    assert.match(sent.id ?? "", /^<.+@mb\.example>$/);
    assert.equal(fake.messages[0].headers["List-Unsubscribe"], "<http://x/unsubscribe/1>");
    assert.deepEqual([...fake.countsByOutreach()], [["tok-1", 1]]);
    const events = await client.events.get(
      "mb.example",
      { "user-variables": JSON.stringify({ outreach: "tok-1" }) } as never,
    );
    assert.equal(events.items.length, 1);
    assert.equal(`<${events.items[0].message.headers["message-id"]}>`, sent.id);
    // As at Mailgun: `user-variables` is no documented filter and is ignored; `message-id` is and narrows.
    const ignored = await client.events.get(
      "mb.example",
      { "user-variables": JSON.stringify({ outreach: "x" }) } as never,
    );
    assert.equal(ignored.items.length, 1);
    const none = await client.events.get("mb.example", { "message-id": "nope@mb.example" } as never);
    assert.equal(none.items.length, 0);
    const one = await client.events.get("mb.example", { "message-id": sent.id!.slice(1, -1) } as never);
    assert.equal(one.items.length, 1);
  } finally {
    await fake.close();
  }
});

Deno.test("fake Mailgun - refuses a wrong key and fails on demand", async () => {
  const fake = startFakeMailgun();
  try {
    const bad = await fetch(`${fake.url}/v3/mb.example/messages`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa("api:wrong")}` },
      body: new URLSearchParams({ from: "a@b", to: "c@d" }),
    });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get("content-type") ?? "", /json/);
    await bad.body?.cancel();
    fake.failNext(1, 503);
    const auth = { authorization: `Basic ${btoa(`api:${fake.apiKey}`)}` };
    const failed = await fetch(`${fake.url}/v3/mb.example/messages`, {
      method: "POST",
      headers: auth,
      body: new URLSearchParams({ from: "a@b", to: "c@d" }),
    });
    assert.equal(failed.status, 503);
    await failed.body?.cancel();
    assert.equal(fake.messages.length, 0);
  } finally {
    await fake.close();
  }
});

Deno.test("fake Mailgun process - listens, reports what it accepted, stops", async () => {
  const fake = await startFakeMailgunProcess();
  try {
    const res = await fetch(`${fake.url}/v3/mb.example/messages`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`api:${fake.apiKey}`)}` },
      body: new URLSearchParams({ from: "a@b", to: "c@d", "v:outreach": "p1" }),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const messages = await fake.messages();
    assert.deepEqual(messages.map((m) => m.outreach), ["p1"]);
  } finally {
    await fake.close();
  }
});
