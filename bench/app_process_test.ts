import assert from "node:assert/strict";
import { rssMiB, startApp, startTaskArgs } from "./app_process.ts";

const HELLO = new URL("./fixtures/hello_server.ts", import.meta.url).pathname;

Deno.test("startApp - times the start to the first /healthz 200, reads RSS, stops the process", async () => {
  const app = await startApp({}, { entry: HELLO });
  try {
    assert.ok(app.startMs > 0);
    assert.ok(app.rssMiB() > 10, `RSS of a live Deno process (${app.rssMiB()} MiB)`);
    const res = await fetch(`${app.url}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /json/);
    assert.deepEqual(await res.json(), { ok: true });
  } finally {
    await app.stop();
  }
  assert.ok(app.hasExited());
  assert.equal(rssMiB(app.pid), 0, "a gone process has no RSS");
});

Deno.test("startApp - an entry that never serves fails with its stderr", async () => {
  const dir = await Deno.makeTempDir();
  const broken = `${dir}/broken.ts`;
  await Deno.writeTextFile(broken, `console.error("no database here"); Deno.exit(3);`);
  try {
    await assert.rejects(() => startApp({}, { entry: broken, timeoutMs: 20_000 }), /no database here/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startTaskArgs - the start task's flags, with another entry in place of main.ts", () => {
  const { tasks } = JSON.parse(Deno.readTextFileSync(new URL("../deno.json", import.meta.url)));
  assert.equal(["deno", ...startTaskArgs()].join(" "), tasks.start);
  const args = startTaskArgs(HELLO);
  assert.equal(args.at(-1), HELLO);
  assert.deepEqual(args.slice(0, -1), startTaskArgs().slice(0, -1));
  assert.ok(args.includes("-A"));
});
