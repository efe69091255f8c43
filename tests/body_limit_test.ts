/**
 * Issue 9, High 2: a body without a length is limited while it is read. The app runs as its own
 * production process; three parallel 200 MB chunked form POSTs to /settings without a CSRF token used to
 * be read whole by the CSRF check (memory 114 MB → 1.57 GB). Now each is a 413 after 1 MiB and the
 * process's memory barely moves. The JSON API answers 413 in its JSON error shape.
 */
import assert from "node:assert/strict";
import { type AppProcess, startApp } from "@/bench/app_process.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";

const MiB = 1024 * 1024;

/** A chunked body of `total` bytes of form data, made from one reused 64 KiB chunk. */
function chunkedForm(total: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode("a=".padEnd(64 * 1024, "x"));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

/** Status and content type of a streamed POST; 0 when the server closed the connection before answering. */
async function streamPost(
  method: string,
  url: string,
  headers: Record<string, string>,
  total: number,
): Promise<{ status: number; type: string | null; body: string }> {
  const init: RequestInit & { duplex: "half" } = {
    method,
    headers,
    body: chunkedForm(total),
    duplex: "half",
    signal: AbortSignal.timeout(120_000),
  };
  try {
    const res = await fetch(url, init);
    return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
  } catch {
    return { status: 0, type: null, body: "" };
  }
}

Deno.test("[e2e] chunked 200 MB form POSTs without a CSRF token - 413 after 1 MiB, memory stays bounded", async () => {
  const db = await useAppDatabase("body_limit");
  let app: AppProcess | undefined;
  try {
    app = await startApp({ DATABASE_URL: db.url, NO_COLOR: "1" });
    const signup = await fetch(`${app.url}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: "big@example.test",
        password: "correct-horse-battery",
        full_name: "Big",
      }),
    });
    assert.equal(signup.status, 201);
    const { token } = await signup.json();
    const cookie = (signup.headers.get("set-cookie") ?? "").split(";")[0];
    await new Promise((r) => setTimeout(r, 500));
    const before = app.rssMiB();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, app!.rssMiB())), 50);
    const started = performance.now();
    const answers = await Promise.all([
      ...[0, 1, 2].map(() =>
        streamPost(
          "POST",
          `${app!.url}/settings`,
          { cookie, "content-type": "application/x-www-form-urlencoded" },
          200 * MiB,
        )
      ),
      streamPost("PUT", `${app.url}/api/resume`, {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
      }, 200 * MiB),
    ]);
    const ms = performance.now() - started;
    clearInterval(sampler);
    console.log(
      "chunked bodies:",
      JSON.stringify({
        statuses: answers.map((a) => a.status),
        rss_before_mib: before,
        rss_peak_mib: peak,
        ms: Math.round(ms),
      }),
    );

    for (const answer of answers.slice(0, 3)) {
      assert.equal(answer.status, 413, "the form is refused as too large");
      assert.match(answer.type ?? "", /^text\/html/);
    }
    assert.equal(answers[3].status, 413);
    assert.match(answers[3].type ?? "", /^application\/json/);
    assert.equal(JSON.parse(answers[3].body).error.code, "payload_too_large");
    assert.ok(peak - before < 100, `memory grew ${(peak - before).toFixed(1)} MiB (${before} → ${peak})`);
    const health = await fetch(`${app.url}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    await app?.stop();
    await db.drop();
  }
});
