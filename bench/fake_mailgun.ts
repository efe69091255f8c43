/**
 * A loopback stand-in for Mailgun's HTTP API, for the dispatch benchmark and
 * the resilience tests: `POST /v3/:domain/messages` (multipart, Basic auth)
 * answers `{id, message}` like Mailgun and remembers every message, so a test
 * can count what was really "sent" (and what twice) from outside the process
 * that sent it. `GET /v3/:domain/events` answers the accepted messages as
 * Mailgun does (documented filters applied, unknown ones ignored, paged), for a
 * dispatcher that reconciles a "maybe sent" row with the provider.
 */

export interface SentMessage {
  id: string;
  domain: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  /** `v:outreach`, the opaque id of the outreach row. */
  outreach: string | null;
  headers: Record<string, string>;
  at: number;
  /** Accepted, then bounced: the recipient is one the fixtures mark undeliverable (`bounce` option). */
  bounced?: boolean;
}

export interface FakeMailgun {
  url: string;
  apiKey: string;
  messages: SentMessage[];
  /** Messages per `v:outreach` id (a value above 1 is a duplicate send). */
  countsByOutreach(): Map<string, number>;
  /** Called after each accepted message (tests use it to kill the sender mid-batch). */
  onMessage?: (message: SentMessage) => void;
  /** Answers the next `n` sends with this status instead of accepting them. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

/** Starts the fake on a free loopback port. */
export function startFakeMailgun(
  options: { apiKey?: string; port?: number; bounce?: (recipient: string) => boolean } = {},
): FakeMailgun {
  const apiKey = options.apiKey ?? "key-bench-0123456789";
  const expected = `Basic ${btoa(`api:${apiKey}`)}`;
  const messages: SentMessage[] = [];
  let failing = 0;
  let failStatus = 500;
  const fake: FakeMailgun = {
    url: "",
    apiKey,
    messages,
    countsByOutreach() {
      const counts = new Map<string, number>();
      for (const m of messages) if (m.outreach) counts.set(m.outreach, (counts.get(m.outreach) ?? 0) + 1);
      return counts;
    },
    failNext(n, status = 500) {
      failing = n;
      failStatus = status;
    },
    close: () => server.shutdown(),
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen: () => {} },
    async (req) => {
      const url = new URL(req.url);
      if (req.headers.get("authorization") !== expected) return json({ message: "Invalid private key" }, 401);
      const send = /^\/v3\/([^/]+)\/messages$/.exec(url.pathname);
      if (send && req.method === "POST") {
        const form = await req.formData();
        if (failing > 0) {
          failing--;
          return json({ message: "fake failure" }, failStatus);
        }
        const domain = decodeURIComponent(send[1]);
        const headers: Record<string, string> = {};
        for (const [key, value] of form.entries()) {
          if (key.startsWith("h:")) headers[key.slice(2)] = String(value);
        }
        // Mailgun keeps a Message-Id given with `h:Message-Id` and answers it as the message's id.
        const own = String(form.get("h:Message-Id") ?? "");
        const message: SentMessage = {
          id: /^<[^<>\s]+>$/.test(own) ? own : `<${crypto.randomUUID()}@${domain}>`,
          domain,
          from: String(form.get("from") ?? ""),
          to: String(form.get("to") ?? ""),
          subject: String(form.get("subject") ?? ""),
          text: String(form.get("text") ?? ""),
          outreach: form.get("v:outreach") === null ? null : String(form.get("v:outreach")),
          headers,
          at: Date.now(),
        };
        if (!message.from || !message.to) return json({ message: "'from' and 'to' are required" }, 400);
        // like Mailgun: an undeliverable recipient is accepted (200) and bounces afterwards
        if (options.bounce?.(message.to)) message.bounced = true;
        messages.push(message);
        fake.onMessage?.(message);
        return json({ id: message.id, message: "Queued. Thank you." });
      }
      if (url.pathname === "/_messages" && req.method === "GET") return json({ items: messages });
      const events = /^\/v3\/([^/]+)\/events$/.exec(url.pathname);
      if (events && req.method === "GET") {
        return json(eventsPage(messages, url, decodeURIComponent(events[1])));
      }
      return json({ message: "not found" }, 404);
    },
  );
  fake.url = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  return fake;
}

/**
 * One page of `accepted` events as Mailgun's Events API answers it: its documented filters (`event`,
 * `message-id`, `begin`) apply, unknown ones (`user-variables`) are ignored as Mailgun ignores them, `limit`
 * per page (at most 300) and a `paging.next` link; a page past the end is empty.
 */
function eventsPage(messages: SentMessage[], url: URL, domain: string) {
  const messageId = url.searchParams.get("message-id")?.replace(/^<|>$/g, "");
  const event = url.searchParams.get("event");
  const begin = Number(url.searchParams.get("begin") ?? "0") || 0;
  const limit = Math.min(300, Math.max(1, Number(url.searchParams.get("limit") ?? "100") || 100));
  const offset = Number(url.searchParams.get("page") ?? "0") || 0;
  const all = messages
    .filter((m) => m.domain === domain && (!event || event === "accepted") && m.at / 1000 >= begin)
    .filter((m) => !messageId || m.id === `<${messageId}>`);
  const next = new URL(url);
  next.searchParams.set("page", String(offset + limit));
  return {
    items: all.slice(offset, offset + limit).map((m) => ({
      event: "accepted",
      timestamp: m.at / 1000,
      id: crypto.randomUUID(),
      recipient: m.to,
      "user-variables": m.outreach ? { outreach: m.outreach } : {},
      message: {
        headers: { "message-id": m.id.replace(/^<|>$/g, ""), from: m.from, to: m.to, subject: m.subject },
      },
    })),
    paging: { next: next.toString() },
  };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** The fake in its own process (so the sender under test has the benchmark process's CPU to itself). */
export interface FakeMailgunProcess {
  url: string;
  apiKey: string;
  /** Every message the fake accepted so far. */
  messages(): Promise<SentMessage[]>;
  close(): Promise<void>;
}

/** Starts `deno run bench/fake_mailgun.ts` and waits until it listens. */
export async function startFakeMailgunProcess(): Promise<FakeMailgunProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the fake Mailgun process exited before listening");
    text += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  const { url, apiKey } = JSON.parse(text.split("\n")[0]);
  const auth = { authorization: `Basic ${btoa(`api:${apiKey}`)}` };
  return {
    url,
    apiKey,
    messages: async () => (await (await fetch(`${url}/_messages`, { headers: auth })).json()).items,
    async close() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

if (import.meta.main) {
  const fake = startFakeMailgun();
  console.log(JSON.stringify({ url: fake.url, apiKey: fake.apiKey }));
}
