/**
 * Memory of the app process under the hardening issue's body attacks, on loopback and bounded:
 *
 *   deno run -A scripts/measure_attacks.ts inbound  [APP_DIR]   20 parallel unsigned 25 MB form POSTs to
 *                                                               /webhooks/mailgun/inbound
 *   deno run -A scripts/measure_attacks.ts contacts [APP_DIR]   10 parallel 5 MB CSV contact imports
 *
 * Starts `APP_DIR/main.ts` (default: this checkout) as the start task does, with a fresh embedded database,
 * samples the process's RSS every 20 ms and times a `GET /healthz` every 100 ms during the attack, and prints
 * the idle RSS, the peak during the attack, the /healthz latencies (p50, p99, max), the answers' statuses and
 * how long the attack took, as one JSON line. APP_DIR lets the same attack run on an older
 * checkout, for before/after numbers.
 */
const [attack, appDir = new URL("..", import.meta.url).pathname] = Deno.args;
if (attack !== "inbound" && attack !== "contacts") {
  console.error("usage: deno run -A scripts/measure_attacks.ts inbound|contacts [APP_DIR]");
  Deno.exit(1);
}

const ADMIN_TOKEN = "attack-admin-token-0123456789";
const port = 18_000 + Math.floor(Math.random() * 2000);
const base = `http://127.0.0.1:${port}`;
const dataDir = await Deno.makeTempDir({ prefix: "roleferry-attack-" });
await Deno.chmod(dataDir, 0o755);
const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "--v8-flags=--max-semi-space-size=1", "main.ts"],
  cwd: appDir,
  env: {
    ROLEFERRY_DATA_DIR: dataDir,
    PORT: String(port),
    ROLEFERRY_CRON: "off",
    MAIL_TRANSPORT: "outbox",
    MAILGUN_WEBHOOK_SIGNING_KEY: "attack-signing-key-0123456789",
    ROLEFERRY_ADMIN_TOKEN: ADMIN_TOKEN,
  },
  stdout: "null",
  stderr: "null",
}).spawn();

function rssMiB(): number {
  const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

try {
  for (let i = 0;; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch { /* not up yet */ }
    if (i > 600) throw new Error("the app did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const setup = attack === "contacts" ? await contactsSetup() : undefined;
  await new Promise((r) => setTimeout(r, 2000));
  const idle = rssMiB();
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 20);
  const health: number[] = [];
  let attacking = true;
  const prober = (async () => {
    while (attacking) {
      const t = performance.now();
      await fetch(`${base}/healthz`).then((res) => res.body?.cancel()).catch(() => {});
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const started = performance.now();
  const statuses = attack === "inbound" ? await inboundAttack() : await contactsAttack(setup!);
  const ms = performance.now() - started;
  attacking = false;
  await prober;
  clearInterval(sampler);
  health.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(health[Math.min(health.length - 1, Math.floor(q * health.length))] ?? 0);
  peak = Math.max(peak, rssMiB());
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  console.log(JSON.stringify({
    attack,
    app: appDir,
    idle_rss_mib: Math.round(idle),
    peak_rss_mib: Math.round(peak),
    healthz_ms: { n: health.length, p50: at(0.5), p99: at(0.99), max: Math.round(health.at(-1) ?? 0) },
    statuses: counts,
    ms: Math.round(ms),
  }));
} finally {
  child.kill("SIGTERM");
  await child.status;
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
}

/** 20 parallel unsigned forms with a 25 MB attachment each (multipart, with Content-Length). */
async function inboundAttack(): Promise<number[]> {
  const attachment = new Uint8Array(25 * 1024 * 1024 - 4096).fill(65);
  return await Promise.all(Array.from({ length: 20 }, async () => {
    const form = new FormData();
    form.append("sender", "someone@example.com");
    form.append("attachment-1", new File([attachment], "big.bin"));
    const res = await fetch(`${base}/webhooks/mailgun/inbound`, { method: "POST", body: form });
    await res.body?.cancel();
    return res.status;
  }));
}

async function contactsSetup(): Promise<{ token: string; companyId: number; csv: string }> {
  const email = `attack${Date.now()}@example.com`;
  const signup = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "attack-password-123", full_name: "Attack" }),
  });
  const { token } = await signup.json();
  await fetch(`${base}/api/admin/jobs/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      jobs: [{
        external_id: "attack-1",
        source: "attack",
        title: "Engineer",
        company: { name: "Attack Co", domain: "attack.example" },
      }],
    }),
  }).then((res) => res.body?.cancel());
  const companies = await (await fetch(`${base}/api/companies?q=Attack`, {
    headers: { authorization: `Bearer ${token}` },
  })).json();
  const companyId = companies.items[0].id;
  // 5 MB: a header, then rows of about 1 KB (the longest allowed title and LinkedIn URL).
  const rows = ["full_name,email,title,linkedin_url"];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024 - 2048; i++) {
    const row = `Person ${i},p${i}@example.com,${"T".repeat(250)},https://www.linkedin.com/in/${
      "p".repeat(460)
    }${i}`;
    if (rows.length > 5000) break;
    rows.push(row);
    size += row.length + 1;
  }
  return { token, companyId, csv: rows.join("\n") };
}

async function contactsAttack(setup: { token: string; companyId: number; csv: string }): Promise<number[]> {
  return await Promise.all(Array.from({ length: 10 }, async () => {
    const res = await fetch(`${base}/api/companies/${setup.companyId}/contacts/import`, {
      method: "POST",
      headers: { authorization: `Bearer ${setup.token}`, "content-type": "text/csv" },
      body: setup.csv,
    });
    await res.body?.cancel();
    return res.status;
  }));
}
