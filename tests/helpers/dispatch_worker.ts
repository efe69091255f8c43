/**
 * One dispatcher process for the concurrency and crash tests:
 *   deno run -A tests/helpers/dispatch_worker.ts
 * Env: DATABASE_URL, MAILGUN_URL, MAILGUN_API_KEY, DISPATCH_OPTIONS (JSON of DispatchOptions numbers),
 * DISPATCH_TIMEOUT_MS (Mailgun request timeout). Runs the dispatcher until a run claims nothing, then prints
 * the summed result as one JSON line.
 */
import { connect, disconnect } from "@/db/client.ts";
import { loadConfig, setConfig } from "@/fresh.config.ts";
import { dispatchOutreach, type DispatchResult } from "@/jobs/dispatch_outreach.ts";
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
const pool = await connect(env.DATABASE_URL, { max: 10, application: "dispatch-worker" });
const transport = mailgunTransport({
  apiKey: env.MAILGUN_API_KEY,
  url: env.MAILGUN_URL,
  timeoutMs: Number(env.DISPATCH_TIMEOUT_MS ?? 30_000),
});
const options = JSON.parse(env.DISPATCH_OPTIONS ?? "{}");
const total: Record<string, number> = {};
for (let run = 0; run < 1000; run++) {
  const result: DispatchResult = await dispatchOutreach(appOn(pool), { ...options, transport });
  for (const [k, v] of Object.entries(result)) if (typeof v === "number") total[k] = (total[k] ?? 0) + v;
  if (result.claimed === 0 || result.no_capacity) break;
}
console.log(JSON.stringify(total));
await disconnect();
