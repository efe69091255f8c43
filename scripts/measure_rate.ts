/**
 * Request rate of the HTTP layer: `deno run -A scripts/measure_rate.ts [--root DIR] [--seconds 4]
 * [--connections 16]`.
 *
 * Starts `main.ts` of `--root` (default: this checkout) as `deno task start` runs it, on a fresh embedded
 * database in a temporary data dir (development mode, so the demo users are seeded), signs in one of them,
 * and drives `wrk` for a few seconds at each of three paths: `/healthz` (framework plus one tiny query), a
 * static file, and a signed-in API GET (`/api/applications`: session lookup, auth, query, JSON). Prints
 * requests/s per path, and the app process's CPU time per request (from /proc: on a busy machine the rate
 * follows the other load, the CPU cost per request much less). `--root` lets the same script measure another
 * checkout (the code before a change).
 *
 * `--in-process` measures the framework alone, without network or database: the fixture app of `fresh/`
 * (fresh/testdata/app of `--root`) answers requests handed to its fetch function directly, 16 at a time,
 * for `--seconds` per path (a static file, a page with layouts and middleware, a JSON route, an unknown
 * path's 404 page). Less disturbed by other work on the machine than the HTTP run.
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { APP_ENV, startTaskArgs } from "@/bench/app_process.ts";
import { freePort } from "@/bench/net.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    root: { type: "string" },
    seconds: { type: "string", default: "4" },
    connections: { type: "string", default: "16" },
    "in-process": { type: "boolean", default: false },
  },
});
const root = values.root ?? new URL("../", import.meta.url).pathname;
const seconds = Number(values.seconds);
const connections = Number(values.connections);
if (values["in-process"]) {
  await measureInProcess(root.endsWith("/") ? root : `${root}/`);
  Deno.exit(0);
}

const dataDir = await Deno.makeTempDir({ prefix: "roleferry-rate-" });
await Deno.chmod(dataDir, 0o755);
const app = await start(root, dataDir);
try {
  const login = await fetch(`${app.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "test_js@roleferry.com", password: "roleferry-demo-2026" }),
  });
  const { token } = await login.json();
  if (typeof token !== "string") throw new Error(`sign-in failed: ${login.status}`);
  const targets: { name: string; path: string; headers?: string[] }[] = [
    { name: "/healthz", path: "/healthz" },
    { name: "static /styles.css", path: "/styles.css" },
    {
      name: "signed-in GET /api/applications",
      path: "/api/applications",
      headers: [`Authorization: Bearer ${token}`],
    },
  ];
  for (const target of targets) {
    const check = await fetch(app.url + target.path, {
      headers: Object.fromEntries((target.headers ?? []).map((h) => h.split(": ") as [string, string])),
    });
    await check.body?.cancel();
    if (check.status !== 200) throw new Error(`${target.path} answered ${check.status}`);
    const args = [
      `-t2`,
      `-c${connections}`,
      `-d${seconds}s`,
      ...(target.headers ?? []).flatMap((h) => ["-H", h]),
    ];
    const cpuBefore = cpuMs(app.child.pid);
    const out = await new Deno.Command("wrk", { args: [...args, app.url + target.path], stderr: "inherit" })
      .output();
    const cpu = cpuMs(app.child.pid) - cpuBefore;
    const text = new TextDecoder().decode(out.stdout);
    const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
    const count = Number(/(\d+) requests in/.exec(text)?.[1] ?? NaN);
    const errors = /Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? "0";
    console.log(
      `${target.name}: ${rate.toFixed(0)} requests/s, app CPU ${
        (cpu * 1000 / count).toFixed(1)
      } µs/request ` +
        `(${connections} connections, ${seconds} s, non-2xx ${errors})`,
    );
  }
} finally {
  app.child.kill("SIGTERM");
  await app.child.status;
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
}

/** User plus system CPU time of process `pid` so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** `deno task start`'s command in `cwd`, on an embedded database in `dataDir`, once `/healthz` answers 200. */
async function start(cwd: string, dataDir: string): Promise<{ url: string; child: Deno.ChildProcess }> {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: startTaskArgs(),
    cwd,
    env: {
      ...APP_ENV,
      ROLEFERRY_ENV: "development",
      APP_BASE_URL: url,
      ROLEFERRY_DATA_DIR: dataDir,
      DATABASE_URL: "",
      PORT: String(port),
    },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/healthz`).catch(() => null);
    await res?.body?.cancel();
    if (res?.status === 200) return { url, child };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`${cwd}main.ts did not answer /healthz within 180 s`);
}

/** Drives the fetch function of `root`'s fresh/ fixture app directly, `connections` requests at a time. */
async function measureInProcess(root: string): Promise<void> {
  const { createApp } = await import(`${root}fresh/mod.ts`);
  const fixture = (name: string) => `${root}fresh/testdata/app/${name}`;
  const buildDir = await Deno.makeTempDir({ prefix: "roleferry-rate-build-" });
  const { fetch: handle } = await createApp({
    routesDir: fixture("routes"),
    islandsDir: buildDir, // none: the measured pages have no islands, so there is nothing to build
    staticDir: fixture("static"),
    buildDir,
    initState: () => ({ trail: [] }),
  }) as { fetch: (req: Request) => Promise<Response> };
  const paths = ["/hello.txt", "/users/7", "/api/echo?q=hi", "/no/such/page"];
  try {
    for (const path of paths) {
      const url = `http://app.test${path}`;
      const deadline = performance.now() + seconds * 1000;
      let done = 0;
      const worker = async () => {
        while (performance.now() < deadline) {
          const res = await handle(new Request(url));
          await res.arrayBuffer();
          done++;
        }
      };
      const started = performance.now();
      const cpu = process.cpuUsage();
      await Promise.all(Array.from({ length: connections }, worker));
      const used = process.cpuUsage(cpu);
      const rate = done / ((performance.now() - started) / 1000);
      const perRequest = (used.user + used.system) / done;
      console.log(
        `in-process ${path}: ${rate.toFixed(0)} requests/s, CPU ${perRequest.toFixed(1)} µs/request`,
      );
    }
  } finally {
    await Deno.remove(buildDir, { recursive: true });
  }
}
