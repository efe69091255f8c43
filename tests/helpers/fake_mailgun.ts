/**
 * A fake Mailgun on 127.0.0.1 for tests: mailgun.js is pointed at it with
 * MAILGUN_URL. It records every `POST /v3/{domain}/messages` (multipart, as
 * mailgun.js sends it), answers `{id, message}` like Mailgun, logs an
 * `accepted` event with the message's user variables, and serves
 * `GET /v3/{domain}/events` filtered by `event` and `user-variables`.
 * Failures and hangs can be scripted to exercise retries and crashes.
 */

export interface FakeMessage {
  domain: string;
  /** Every form field as sent (repeated fields keep their last value). */
  fields: Record<string, string>;
  /** Field names in the order they were sent. */
  names: string[];
  id: string;
  auth: string | null;
  at: number;
}

export interface FakeMailgun {
  url: string;
  apiKey: string;
  messages: FakeMessage[];
  /** Answer the next `count` message posts with `status` (after recording nothing). */
  failNext(count: number, status: number, body?: string): void;
  /** Accept (record) the next message but never answer: the sender sees a timeout or is killed meanwhile. */
  hangAfterAccept(count: number): void;
  /** Delay every answer by `ms`. */
  setDelay(ms: number): void;
  /** Called when a message has been recorded, before it is answered (e.g. to kill the sender then). */
  onMessage?: (message: FakeMessage) => void;
  /** Releases hung requests and stops the server. */
  close(): Promise<void>;
}

export function startFakeMailgun(apiKey = "key-fake-mailgun"): FakeMailgun {
  const messages: FakeMessage[] = [];
  let failures: { count: number; status: number; body: string } = { count: 0, status: 500, body: "" };
  let hangs = 0;
  let delay = 0;
  const hung: (() => void)[] = [];
  const expectedAuth = "Basic " + btoa(`api:${apiKey}`);

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const auth = req.headers.get("authorization");
    if (auth !== expectedAuth) return new Response("Forbidden", { status: 401 });
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const send = /^\/v3\/([^/]+)\/messages$/.exec(url.pathname);
    if (send && req.method === "POST") {
      if (failures.count > 0) {
        failures.count--;
        return Response.json({ message: failures.body || "fake failure" }, { status: failures.status });
      }
      const form = await req.formData();
      const fields: Record<string, string> = {};
      const names: string[] = [];
      for (const [name, value] of form) {
        fields[name] = typeof value === "string" ? value : `[file ${value.name}]`;
        names.push(name);
      }
      const id = `<${crypto.randomUUID()}@${send[1]}>`;
      const message = { domain: send[1], fields, names, id, auth, at: Date.now() };
      messages.push(message);
      fake.onMessage?.(message);
      if (hangs > 0) {
        hangs--;
        await new Promise<void>((resolve) => hung.push(resolve));
        return new Response("gone", { status: 503 });
      }
      return Response.json({ id, message: "Queued. Thank you." });
    }
    const events = /^\/v3\/([^/]+)\/events$/.exec(url.pathname);
    if (events && req.method === "GET") {
      const wanted = url.searchParams.get("user-variables");
      const filter = wanted ? JSON.parse(wanted) as Record<string, string> : {};
      const event = url.searchParams.get("event");
      const items = messages
        .filter((m) => m.domain === events[1] && (!event || event === "accepted"))
        .filter((m) => Object.entries(filter).every(([k, v]) => m.fields[`v:${k}`] === v))
        .map((m) => ({
          event: "accepted",
          id: crypto.randomUUID(),
          timestamp: m.at / 1000,
          recipient: m.fields.to,
          "user-variables": Object.fromEntries(
            Object.entries(m.fields).filter(([k]) => k.startsWith("v:")).map(([k, v]) => [k.slice(2), v]),
          ),
          message: { headers: { "message-id": m.id.slice(1, -1), from: m.fields.from, to: m.fields.to } },
        }));
      const base = `${url.origin}/v3/${events[1]}/events`;
      return Response.json({
        items,
        paging: {
          first: `${base}/first`,
          last: `${base}/last`,
          next: `${base}/next`,
          previous: `${base}/previous`,
        },
      });
    }
    return new Response("Mailgun Magnificent API", { status: 404 });
  });

  const fake: FakeMailgun = {
    url: `http://127.0.0.1:${server.addr.port}`,
    apiKey,
    messages,
    failNext(count, status, body = "") {
      failures = { count, status, body };
    },
    hangAfterAccept(count) {
      hangs = count;
    },
    setDelay(ms) {
      delay = ms;
    },
    async close() {
      for (const release of hung.splice(0)) release();
      await server.shutdown();
    },
  };
  return fake;
}
