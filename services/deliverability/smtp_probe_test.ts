import assert from "node:assert/strict";
import { probeAddress } from "./smtp_probe.ts";
import { startProbeSmtp } from "@/tests/helpers/probe_smtp_server.ts";

Deno.test("probeAddress - accepted, rejected and catch-all against a local SMTP server; never sends", async () => {
  const strict = await startProbeSmtp(["ada@acme.example"]);
  const loose = await startProbeSmtp([], { catchAll: true });
  try {
    const at = { host: "127.0.0.1", timeoutMs: 3000 };
    assert.equal(await probeAddress("ada@acme.example", { ...at, port: strict.port }), "accepted");
    assert.equal(await probeAddress("nobody@acme.example", { ...at, port: strict.port }), "rejected");
    assert.equal(await probeAddress("anyone@loose.example", { ...at, port: loose.port }), "catch_all");
    assert.equal(strict.rcpts.length, 3, "the accepted address was followed by a random one");
    assert.match(strict.rcpts[1], /^rf[0-9a-f]{18}@acme\.example$/);
    assert.equal(strict.dataAttempts + loose.dataAttempts, 0);
  } finally {
    await strict.close();
    await loose.close();
  }
});

Deno.test("probeAddress - greylisting, a closed port and a silent server are unknown", async () => {
  const grey = await startProbeSmtp([], { greylist: true });
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (closed.addr as Deno.NetAddr).port;
  closed.close();
  try {
    assert.equal(await probeAddress("ada@a.example", { host: "127.0.0.1", port: grey.port }), "unknown");
    assert.equal(await probeAddress("ada@a.example", { host: "127.0.0.1", port: closedPort }), "unknown");
    const started = Date.now();
    const accept = silent.accept();
    const outcome = await probeAddress("ada@a.example", {
      host: "127.0.0.1",
      port: (silent.addr as Deno.NetAddr).port,
      timeoutMs: 300,
    });
    (await accept).close();
    assert.equal(outcome, "unknown");
    assert.ok(Date.now() - started < 3000);
  } finally {
    await grey.close();
    silent.close();
  }
});
