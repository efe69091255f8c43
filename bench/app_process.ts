/**
 * The app as a separate process (`deno task start`'s command), as an operator runs
 * it: for start-up timing, resident memory and load tests, where running it
 * inside the benchmark process would mix both processes' costs.
 */
import { freePort } from "./net.ts";

export interface AppProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first `/healthz` 200. */
  startMs: number;
  /** main.ts's own `boot_ms` (configuration, database, migrations check, routes): the rest is module loading. */
  bootMs(): number | undefined;
  /** Module loading and each part of boot(), in ms, from main.ts's log line. */
  bootParts(): Record<string, number> | undefined;
  /** Resident set size of the app process, in MiB. */
  rssMiB(): number;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  kill(): void;
  /** The last lines the app wrote to stderr. */
  stderrTail(): string;
  /** True once the process has exited. */
  hasExited(): boolean;
  exited: Promise<Deno.CommandStatus>;
}

const ROOT = new URL("../", import.meta.url).pathname;

/**
 * The words of `deno task start` after `deno`, with `entry` in place of main.ts: the bench runs the app with
 * the start task's own flags (its V8 heap settings change the RSS measured), and the runtime baseline too.
 *
 * @example startTaskArgs("bench/fixtures/hello_server.ts") // ["run", "-A", "--v8-flags=…", "bench/fixtures/hello_server.ts"]
 */
export function startTaskArgs(entry = "main.ts"): string[] {
  const { tasks } = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));
  const words = String(tasks.start).trim().split(/\s+/);
  if (words[0] !== "deno" || words.at(-1) !== "main.ts") {
    throw new Error(`unexpected start task: ${tasks.start}`);
  }
  return [...words.slice(1, -1), entry];
}

/** Production-like defaults: no cron, the outbox transport, fixed secret and admin token. */
export const APP_ENV: Record<string, string> = {
  ROLEFERRY_ENV: "production",
  ROLEFERRY_SECRET: "bench-secret-bench-secret-bench-secret-0123",
  APP_BASE_URL: "https://bench.roleferry.example",
  ROLEFERRY_ADMIN_TOKEN: "bench-admin-token-0123456789",
  ROLEFERRY_CRON: "off",
  MAIL_TRANSPORT: "outbox",
  MAIL_SYSTEM_FROM: "RoleFerry <no-reply@bench.example>",
  HOSTNAME: "127.0.0.1",
};

/**
 * Starts `main.ts` (or `entry`) and waits for `/healthz` to answer 200.
 * Request logs (stdout) are read and dropped, except main.ts's `boot_ms`; the
 * end of stderr is kept for the error message when the app does not come up.
 */
export async function startApp(
  env: Record<string, string>,
  options: { entry?: string; timeoutMs?: number; healthPath?: string } = {},
): Promise<AppProcess> {
  // main.ts says where it listens: with no port given it takes one the system picks (PORT=0) and keeps it,
  // so two test files in parallel can never race for the same free port. Other entries get a free port.
  const announces = (options.entry ?? "main.ts") === "main.ts" && !Number(env.PORT);
  const port = announces ? 0 : Number(env.PORT) || freePort();
  let url = announces ? "" : `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: startTaskArgs(options.entry),
    cwd: ROOT,
    env: { ...APP_ENV, ...env, PORT: String(port) },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let head = "";
  let bootMs: number | undefined;
  let bootParts: Record<string, number> | undefined;
  (async () => {
    // main.ts logs {"msg":"listening", "boot_ms", "modules_ms", "boot_parts"} once; everything else (request
    // logs) is drained unread.
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      if (!url) {
        head = (head + chunk).slice(-65_536); // the listening line may arrive in pieces
        url = /"msg":"listening","url":"([^"]+)"/.exec(head)?.[1] ?? "";
      }
      if (bootMs === undefined) {
        const match = /"boot_ms":(\d+)/.exec(chunk);
        if (match) bootMs = Number(match[1]);
        const modules = /"modules_ms":(\d+)/.exec(chunk);
        const parts = /"boot_parts":(\{[^}]*\})/.exec(chunk);
        if (parts) bootParts = { modules: Number(modules?.[1] ?? NaN), ...JSON.parse(parts[1]) };
      }
    }
  })().catch(() => {});
  const stderr: string[] = [];
  (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr.push(chunk);
      if (stderr.length > 50) stderr.shift();
    }
  })().catch(() => {});
  const exited = child.status;
  let done = false;
  exited.then(() => (done = true));
  const deadline = started + (options.timeoutMs ?? 60_000);
  let startMs = -1;
  while (performance.now() < deadline && !done) {
    if (!url) {
      await new Promise((r) => setTimeout(r, 3));
      continue;
    }
    try {
      const res = await fetch(url + (options.healthPath ?? "/healthz"));
      await res.body?.cancel();
      if (res.status === 200) {
        startMs = performance.now() - started;
        break;
      }
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 3));
  }
  if (startMs < 0) {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await exited;
    throw new Error(`the app did not answer ${url}/healthz with 200: ${stderr.join("").slice(-600)}`);
  }
  return {
    url,
    pid: child.pid,
    startMs,
    rssMiB: () => rssMiB(child.pid),
    async stop(graceMs = 10_000) {
      if (done) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => !done && child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      if (!done) child.kill("SIGKILL");
    },
    bootMs: () => bootMs,
    bootParts: () => bootParts,
    stderrTail: () => stderr.join("").slice(-2000),
    hasExited: () => done,
    exited,
  };
}

/** VmRSS of a process from /proc, in MiB (0 when it is gone). */
export function rssMiB(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return 0;
  }
}
