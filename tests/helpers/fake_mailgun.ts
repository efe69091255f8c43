/**
 * A fake Mailgun on 127.0.0.1 for tests: mailgun.js is pointed at it with
 * MAILGUN_URL. It records every `POST /v3/{domain}/messages` (multipart, as
 * mailgun.js sends it), answers `{id, message}` like Mailgun, logs an
 * `accepted` event with the message's user variables, and serves
 * `GET /v3/{domain}/events` as Mailgun documents it: filtered by `event`, `message-id` and `begin`, unknown
 * filters (`user-variables`) ignored, `limit` per page (at most 300) and `paging.next` links. A message sent
 * with `h:Message-Id` keeps that id. Answers such as 420 and 429 are scripted with `failNext`.
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
  /** `accepted` events of other messages on `domain` (so a lookup has pages to read). */
  addOtherEvents(domain: string, count: number): void;
  /** Answer the next `count` event queries with HTTP 500. */
  failEventQueries(count: number): void;
  /** The query string of every events request, in order. */
  eventQueries: string[];
}

/** The `accepted` event Mailgun logs for a message (its user variables and its Message-ID without brackets). */
function acceptedEvent(m: { domain: string; fields: Record<string, string>; id: string; at: number }) {
  return {
    domain: m.domain,
    event: "accepted",
    id: crypto.randomUUID(),
    timestamp: m.at / 1000,
    recipient: m.fields.to,
    "user-variables": Object.fromEntries(
      Object.entries(m.fields).filter(([k]) => k.startsWith("v:")).map(([k, v]) => [k.slice(2), v]),
    ),
    message: { headers: { "message-id": m.id.slice(1, -1), from: m.fields.from, to: m.fields.to } },
  };
}

export function startFakeMailgun(apiKey = "key-fake-mailgun"): FakeMailgun {
  const messages: FakeMessage[] = [];
  const acceptedEvents: ReturnType<typeof acceptedEvent>[] = [];
  let eventFailures = 0;
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
      // Mailgun keeps a Message-Id given with `h:Message-Id` and answers it as the message's id.
      const own = /^<[^<>\s]+>$/.test(fields["h:Message-Id"] ?? "") ? fields["h:Message-Id"] : undefined;
      const id = own ?? `<${crypto.randomUUID()}@${send[1]}>`;
      const message = { domain: send[1], fields, names, id, auth, at: Date.now() };
      messages.push(message);
      acceptedEvents.push(acceptedEvent(message));
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
      fake.eventQueries.push(url.search);
      if (eventFailures > 0) {
        eventFailures--;
        return Response.json({ message: "fake events failure" }, { status: 500 });
      }
      // Mailgun's documented filters (`event`, `message-id`, `begin`) apply; any other parameter, such as
      // `user-variables`, is ignored as Mailgun ignores filters it does not know.
      const event = url.searchParams.get("event");
      const wantedId = url.searchParams.get("message-id")?.replace(/^<|>$/g, "");
      const begin = Number(url.searchParams.get("begin") ?? "0");
      const limit = Math.min(300, Math.max(1, Number(url.searchParams.get("limit") ?? "100") || 100));
      const offset = Number(url.searchParams.get("page") ?? "0") || 0;
      const all = acceptedEvents
        .filter((e) => e.domain === decodeURIComponent(events[1]))
        .filter((e) => !event || e.event === event)
        .filter((e) => !wantedId || e.message.headers["message-id"] === wantedId)
        .filter((e) => e.timestamp >= begin);
      const items = all.slice(offset, offset + limit).map(({ domain: _domain, ...item }) => item);
      const page = (n: number) => {
        const next = new URL(url);
        next.searchParams.set("page", String(n));
        return next.toString();
      };
      return Response.json({
        items,
        paging: {
          first: page(0),
          last: page(Math.max(0, all.length - limit)),
          next: page(offset + limit),
          previous: page(Math.max(0, offset - limit)),
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
    eventQueries: [],
    addOtherEvents(domain, count) {
      for (let i = 0; i < count; i++) {
        acceptedEvents.push(acceptedEvent({
          domain,
          fields: { to: `other${i}@elsewhere.example`, "v:outreach": `other-${i}` },
          id: `<other-${i}.${crypto.randomUUID()}@${domain}>`,
          at: Date.now(),
        }));
      }
    },
    failEventQueries(count) {
      eventFailures = count;
    },
    async close() {
      for (const release of hung.splice(0)) release();
      await server.shutdown();
    },
  };
  return fake;
}
