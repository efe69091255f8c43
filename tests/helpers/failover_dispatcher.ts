/**
 * The dispatcher as its own process for the failover drill (the `ROLEFERRY_CRON=off` + worker setup), run
 * back to back instead of once a minute:
 *   deno run -A tests/helpers/failover_dispatcher.ts
 * Env: DATABASE_URL (multi-host with target_session_attrs=primary), MAILGUN_URL, MAILGUN_API_KEY,
 * DISPATCH_OPTIONS (JSON of DispatchOptions numbers). A run that fails because the database went away is
 * counted and the loop goes on, as the cron would on its next tick. On SIGTERM it prints one JSON line:
 * the runs, the failed runs, what the successful ones did, and the first errors.
 */
import { connect, disconnect } from "@/db/client.ts";
import { loadConfig, setConfig } from "@/fresh.config.ts";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "./app.ts";
import { mailgunTransport } from "@/services/mail/mailgun.ts";
import { FIXTURE_SECRET } from "./outreach_fixtures.ts";

const env = Deno.env.toObject();
setConfig(loadConfig({
  ROLEFERRY_ENV: "test",
  ROLEFERRY_SECRET: FIXTURE_SECRET,
  MAIL_TRANSPORT: "mailgun",
  MAILGUN_API_KEY: env.MAILGUN_API_KEY,
  MAILGUN_URL: env.MAILGUN_URL,
  APP_BASE_URL: "http://app.example",
}));
const pool = await connect(env.DATABASE_URL, { max: 6, application: "failover-dispatcher" });
const transport = mailgunTransport({ apiKey: env.MAILGUN_API_KEY, url: env.MAILGUN_URL, timeoutMs: 5_000 });
const options = JSON.parse(env.DISPATCH_OPTIONS ?? "{}");
let stopping = false;
Deno.addSignalListener("SIGTERM", () => (stopping = true));
const total: Record<string, number> = { runs: 0, failed_runs: 0 };
const errors: string[] = [];
while (!stopping) {
  total.runs++;
  try {
    const result = await dispatchOutreach(appOn(pool), { ...options, transport });
    for (const [k, v] of Object.entries(result)) if (typeof v === "number") total[k] = (total[k] ?? 0) + v;
    if (result.claimed === 0) await new Promise((r) => setTimeout(r, 50));
  } catch (error) {
    total.failed_runs++;
    if (errors.length < 5) errors.push(String((error as Error).message).slice(0, 200));
    await new Promise((r) => setTimeout(r, 100));
  }
}
console.log(JSON.stringify({ ...total, errors }));
await disconnect(1).catch(() => {});
Deno.exit(0);
