/**
 * Every route fuzzed: the API routes listed by `GET /api/openapi.json` (so a
 * new route is fuzzed without touching this file) and the page routes found
 * in `routes/`, each with generated path parameters, query strings, bodies,
 * content types and credentials (fast-check). Whatever the input:
 * - no answer is a 5xx, and API errors are the contract's JSON error;
 * Strings include lone surrogates and CR/LF/TAB (also injected into every string of a body), queries
 * include forged job-search cursors, and some bodies arrive chunked, without a Content-Length.
 * - a rejected request (4xx) writes nothing: PostgreSQL assigns a transaction
 *   id only to a transaction that writes, so the next xid must not move
 *   (except for the login rate limiter, whose counters are meant to count
 *   rejected logins).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { changedTables, nextXid, tableFingerprint } from "@/tests/helpers/writes.ts";

type Json = Record<string, unknown>;

interface Target {
  method: string;
  path: string;
  params: string[];
  query: Record<string, Json>;
  body?: { type: string; schema: Json };
}

const RUNS_PER_ROUTE = Number(Deno.env.get("FUZZ_RUNS") ?? 60);
/** Tables whose rows a rejected request may legitimately change. */
// session_activity: a session's last use moves on any request; outbox_messages: system mail (reset,
// verification) is sent after the answer, so a mail of an earlier accepted request may land meanwhile.
const MAY_WRITE_ON_REJECTION = new Set(["rate_limits", "session_activity", "outbox_messages"]);

const db = await useAppDatabase("fuzz");
const server = await startTestServer({ MAILGUN_WEBHOOK_SIGNING_KEY: "fuzz-signing-key-0123456789" }, {
  sql: db.sql,
});
let user = await createUserWithToken(server.url);

/** Anything a client could put in a URL segment or a query value. */
const segment = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.constantFrom("0", "1", "2147483647", "2147483648", "9".repeat(30), "1e3", "0x10", "-0", "NaN", "null"),
  fc.constantFrom("%00", "..%2F..%2Fetc", "%27%20or%201%3D1--", "%F0%9F%92%A5", "a%20b", "%E0%A4%A"),
  fc.constantFrom("%0D%0ASet-Cookie:%20a=b", "%09", "%0A", "%ED%A0%80", "%C0%80", "x%0D"),
  // forged job-search cursors (base64url JSON of [posted, id]): year 0000, offsets past PostgreSQL's
  fc.constantFrom(
    ...[["0000-01-01 00:00:00+00", 1], ["2026-01-01 00:00:00-23", 1], ["2026-01-01 00:00:00+99:99", 1], [
      null,
      -1,
    ], ["9999-12-31 23:59:59+00", 2147483647]].map((c) => btoa(JSON.stringify(c)).replace(/=+$/, "")),
  ),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);

/** A value of roughly the declared type half the time, anything JSON the other half. */
function valueFor(schema: Json | undefined): fc.Arbitrary<unknown> {
  const type = schema?.type;
  const typed = type === "integer" || type === "number"
    ? fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e308, 2 ** 31, Number.MAX_SAFE_INTEGER))
    : type === "boolean"
    ? fc.boolean()
    : type === "array"
    ? fc.array(valueFor(schema?.items as Json | undefined), { maxLength: 5 })
    : type === "object"
    ? bodyFor(schema)
    : Array.isArray(schema?.enum)
    ? fc.constantFrom(...(schema.enum as unknown[]))
    : fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.emailAddress(),
      fc.constantFrom("", " ", "x".repeat(10_001), "<script>alert(1)</script>", "'; drop table users; --"),
      fc.constantFrom("\ud800", "a\udfffb", "\udc00\ud800", "x\r\ny", "\t", "\r", "line\nbreak", "a\u0000b"),
    );
  return fc.oneof({ weight: 3, arbitrary: typed }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
}

/** Objects built from the schema's property names (some left out, some extra). */
function bodyFor(schema: Json | undefined): fc.Arbitrary<unknown> {
  const properties = (schema?.properties ?? {}) as Record<string, Json>;
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, valueFor(s)])),
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 4, arbitrary: record },
    {
      weight: 1,
      arbitrary: fc.tuple(record, fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue())).map(
        ([a, b]) => ({ ...b, ...(a as object) }),
      ),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

/** `value` with `extra` appended to every string in it (keys too). */
function spliced(value: unknown, extra: string): unknown {
  if (typeof value === "string") return value + extra;
  if (Array.isArray(value)) return value.map((v) => spliced(v, extra));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k + extra, spliced(v, extra)]));
  }
  return value;
}

interface RawBody {
  text?: string;
  type?: string;
  /** Sent as a stream: chunked, without a Content-Length. */
  chunked?: boolean;
}

/** A raw request body: JSON from the schema, or text that is not what the route expects. */
function rawBody(target: Target): fc.Arbitrary<RawBody> {
  const json = bodyFor(target.body?.schema).map((v) => ({
    text: JSON.stringify(v),
    type: "application/json",
  }));
  // CR/LF/TAB or a lone surrogate in every string of a body that is otherwise well formed
  const controls = fc.tuple(
    bodyFor(target.body?.schema),
    fc.constantFrom("\r\n", "\n", "\t", "\r", "\ud800", "\udfff"),
  ).map(([v, extra]) => ({ text: JSON.stringify(spliced(v, extra)), type: "application/json" }));
  const body = fc.oneof(
    { weight: 6, arbitrary: json },
    { weight: 2, arbitrary: controls },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { text: "{", type: "application/json" },
        { text: "", type: "application/json" },
        { text: "null", type: "application/json" },
        { text: "a=1&b=2", type: "application/x-www-form-urlencoded" },
        {
          text: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
          type: "multipart/form-data",
        },
        { text: '{"a":1}', type: "text/plain" },
        { text: `{"x":"${"y".repeat(2_000_000)}"}`, type: "application/json" },
        {},
      ),
    },
    {
      weight: 1,
      arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ text, type: "application/json" })),
    },
  );
  return fc.tuple(body, fc.boolean()).map(([b, chunked]): RawBody => ({ ...b, chunked }));
}

/** Who calls: headers built at send time, since a fuzzed logout ends the current session. */
const credentials = fc.constantFrom("none", "bearer", "bearer", "admin", "bad-bearer", "basic", "cookie");

function headersFor(kind: string): Record<string, string> {
  switch (kind) {
    case "bearer":
      return { authorization: `Bearer ${user.token}` };
    case "admin":
      return { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };
    case "bad-bearer":
      return { authorization: "Bearer not-a-real-token-not-a-real-token" };
    case "basic":
      return { authorization: "Basic YWRtaW46YWRtaW4=" };
    case "cookie":
      return { cookie: `rf_session=${user.token}` };
    default:
      return {};
  }
}

async function apiTargets(): Promise<Target[]> {
  const res = await fetch(`${server.url}/api/openapi.json`);
  assert.equal(res.status, 200);
  const doc = await res.json();
  const targets: Target[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(item)) {
      const parameters = (op.parameters ?? []) as Json[];
      const content = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
      const [type, media] = Object.entries(content ?? {})[0] ?? [];
      targets.push({
        method: method.toUpperCase(),
        path,
        params: parameters.filter((p) => p.in === "path").map((p) => String(p.name)),
        query: Object.fromEntries(
          parameters.filter((p) => p.in === "query").map((p) => [String(p.name), p.schema as Json]),
        ),
        body: type ? { type, schema: (media?.schema ?? {}) as Json } : undefined,
      });
    }
  }
  return targets;
}

/** Page routes from the routes folder: `(group)` folders dropped, `[id]` as a parameter. */
async function pageTargets(): Promise<Target[]> {
  const targets: Target[] = [];
  const walk = async (dir: string, prefix: string[]) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) {
        if (entry.name === "api") continue;
        const group = /^\(.*\)$/.test(entry.name);
        await walk(`${dir}/${entry.name}`, group ? prefix : [...prefix, entry.name]);
      } else if (/\.tsx?$/.test(entry.name) && !entry.name.startsWith("_")) {
        const name = entry.name.replace(/\.tsx?$/, "");
        const parts = name === "index" ? prefix : [...prefix, name];
        const path = "/" + parts.map((p) => p.replace(/^\[(?:\.\.\.)?(\w+)\]$/, "{$1}")).join("/");
        const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const method of ["GET", "POST"]) targets.push({ method, path, params, query: {} });
      }
    }
  };
  await walk(new URL("../routes", import.meta.url).pathname, []);
  return targets;
}

async function send(
  target: Target,
  path: string,
  query: string,
  body: RawBody,
  headers: Record<string, string>,
) {
  const init: RequestInit = { method: target.method, headers: { ...headers }, redirect: "manual" };
  if (target.method !== "GET" && target.method !== "DELETE" && body.text !== undefined) {
    const bytes = new TextEncoder().encode(body.text);
    const half = Math.floor(bytes.byteLength / 2);
    init.body = body.chunked
      ? ReadableStream.from([bytes.subarray(0, half), bytes.subarray(half)])
      : body.text;
    if (body.type) (init.headers as Record<string, string>)["content-type"] = body.type;
  }
  const res = await fetch(`${server.url}${path}${query}`, init);
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", text };
}

function fill(target: Target, values: string[]): string {
  let i = 0;
  return target.path.replace(/\{\w+\}/g, () => values[i++] ?? "1");
}

const targets = [...await apiTargets(), ...await pageTargets()];
/** Answers by status over the whole run: shows the fuzzing reached handlers, not only the auth wall. */
const tally = new Map<number, number>();
/** The table fingerprint at a given next-xid: recomputed only after something wrote. */
let known = { xid: -1n, tables: new Map<string, string>() };

Deno.test("Route fuzzing - the OpenAPI document lists the API routes to fuzz", () => {
  assert.ok(targets.some((t) => t.path.startsWith("/api/")), "API routes found");
  assert.ok(targets.some((t) => !t.path.startsWith("/api/")), "page routes found");
});

for (const target of targets) {
  Deno.test(`Route fuzzing - ${target.method} ${target.path}: no 5xx, no write on a rejection`, async () => {
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: target.params.length, maxLength: target.params.length }),
        fc.dictionary(
          fc.oneof(fc.constantFrom(...Object.keys(target.query), "x"), fc.string({ maxLength: 8 })),
          fc.oneof(valueFor(undefined).map((v) => String(v)), segment),
          { maxKeys: 4 },
        ),
        rawBody(target),
        credentials,
        async (params, query, body, who) => {
          const headers = headersFor(who);
          requests++;
          const search = new URLSearchParams(query as Record<string, string>).toString();
          const before = await nextXid(db.sql);
          if (before !== known.xid) known = { xid: before, tables: await tableFingerprint(db.sql) };
          const tablesBefore = known.tables;
          const res = await send(target, fill(target, params), search ? `?${search}` : "", body, headers);
          tally.set(res.status, (tally.get(res.status) ?? 0) + 1);
          const where = `${target.method} ${fill(target, params)}?${search} ${
            body.text?.slice(0, 200) ?? ""
          }`;
          assert.ok(res.status < 500, `${where} answered ${res.status}: ${res.text.slice(0, 300)}`);
          if (/^\/(api|webhooks)\//.test(target.path) && res.status >= 400) {
            assert.match(res.type, /application\/json/, `${where}: error as JSON`);
            const error = JSON.parse(res.text).error;
            assert.equal(typeof error?.code, "string", `${where}: error.code`);
            assert.equal(typeof error?.message, "string", `${where}: error.message`);
          }
          if (res.status >= 400 && (await nextXid(db.sql)) !== before) {
            const changed = changedTables(tablesBefore, await tableFingerprint(db.sql));
            assert.deepEqual(
              changed.filter((t) => !MAY_WRITE_ON_REJECTION.has(t)),
              [],
              `${where} was rejected with ${res.status} but wrote to ${changed.join(", ")}`,
            );
          }
        },
      ),
      { numRuns: RUNS_PER_ROUTE, seed: 6, endOnFailure: true },
    );
    assert.equal(requests, RUNS_PER_ROUTE);
    if (/logout/.test(target.path)) user = await createUserWithToken(server.url); // the session may be over
  });
}

Deno.test("Route fuzzing - inputs reached validation, handlers and successes", () => {
  const count = (pred: (s: number) => boolean) =>
    [...tally].filter(([s]) => pred(s)).reduce((sum, [, n]) => sum + n, 0);
  console.log(`answers by status: ${JSON.stringify(Object.fromEntries(tally))}`);
  assert.ok(count((s) => s >= 200 && s < 300) > 50, "some generated requests succeeded");
  assert.ok(count((s) => s === 422 || s === 400) > 50, "many were rejected by validation");
  assert.ok(count((s) => s === 404) > 10, "bad ids and paths answered 404");
  assert.ok(count((s) => s === 401) > 10, "missing or bad credentials answered 401");
});

Deno.test("Route fuzzing - close the server and drop the database", async () => {
  await server.close();
  await db.drop();
});
