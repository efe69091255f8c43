/**
 * Dispatch: emails per second through the project's dispatcher (caps, leases,
 * tokens, bookkeeping) to a loopback fake Mailgun, against
 * - graphile-worker running a task that makes the same mailgun.js POST to the
 *   same kind of fake with the same concurrency: the fair baseline (a
 *   general-purpose queue doing the same work);
 * - graphile-worker working through no-op jobs (the queue's own cost, a floor), and
 * - a bare loop posting the same messages with mailgun.js (the transport's
 *   own limit, a ceiling).
 */
import Mailgun from "mailgun.js";
import postgres from "postgres";
import { dispatcherRate } from "./dispatch_project.ts";
import { benchBounce } from "./bounce.ts";
import { describeTop, resetStatements, topStatements } from "./pg_stats.ts";
import { startFakeMailgunProcess } from "./fake_mailgun.ts";
import type { Measurement } from "./report.ts";
import { ratio } from "./report.ts";

export interface DispatchOptions {
  url: string;
  serverUrl: string;
  emails: number;
  workDir: string;
  log: (line: string) => void;
}

const CONCURRENCY = 16;

export async function benchDispatch(options: DispatchOptions): Promise<Measurement[]> {
  const bare = await bareLoop(options.emails);
  options.log(`dispatch: bare mailgun.js loop ${bare.toFixed(0)} emails/s`);
  const graphile = await graphileWorker(options, "noop");
  options.log(`dispatch: graphile-worker ${graphile.toFixed(0)} no-op jobs/s`);
  const graphileSend = await graphileWorker(options, "send");
  options.log(`dispatch: graphile-worker ${graphileSend.toFixed(0)} jobs/s posting to the fake`);
  await resetStatements(options.url);
  const project = await dispatcherRate(options);
  const top = describeTop(await topStatements(options.url));
  options.log(`dispatch: project dispatcher ${project.rate.toFixed(0)} emails/s (${project.sent} sent)`);
  const bounce = await benchBounce({ url: options.url, contacts: options.emails, log: options.log });
  return [
    ...bounce,
    {
      section: "dispatch",
      name: `dispatcher to fake Mailgun (${options.emails} emails)`,
      value: project.rate,
      unit: "emails/s",
      baseline: { name: "graphile-worker, same mailgun.js POST", value: graphileSend },
      ratio: ratio(project.rate, graphileSend),
      goal: ">= 1000/s and >= 1.0x graphile-worker doing the same POST",
      met: project.rate >= 1000 && project.rate >= graphileSend && project.duplicates === 0 &&
        project.sent === options.emails,
      note:
        `${project.sent}/${options.emails} delivered to the fake, ${project.duplicates} duplicates; ${top}`,
    },
    {
      section: "dispatch",
      name: "dispatcher vs a queue's floor",
      value: project.rate,
      unit: "emails/s",
      baseline: { name: "graphile-worker no-op jobs", value: graphile },
      ratio: ratio(project.rate, graphile),
    },
    {
      section: "dispatch",
      name: "dispatcher vs the transport's limit",
      value: project.rate,
      unit: "emails/s",
      baseline: { name: `bare mailgun.js loop (${CONCURRENCY} in flight)`, value: bare },
      ratio: ratio(project.rate, bare),
    },
  ];
}

/** The message the baselines post: the fields the dispatcher sends (contract §5), for contact `i`. */
function benchMessage(i: number) {
  return {
    from: "sender1@mb1.bench.example",
    to: [`contact${i}@c1.bench.example`],
    subject: "Quick question about the role",
    text: "Hi there,\n\nI spotted the opening and think my background fits.\n\nThanks",
    "v:outreach": crypto.randomUUID(),
    "h:List-Unsubscribe": `<http://127.0.0.1/unsubscribe/${i}>`,
    "h:List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

/** mailgun.js `messages.create` in a loop with CONCURRENCY in flight, nothing else. */
async function bareLoop(emails: number): Promise<number> {
  const fake = await startFakeMailgunProcess();
  try {
    const client = new Mailgun(FormData).client({ username: "api", key: fake.apiKey, url: fake.url });
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < emails) {
        const i = next++;
        await client.messages.create("mb1.bench.example", benchMessage(i));
      }
    }));
    const rate = emails / ((performance.now() - started) / 1000);
    const arrived = (await fake.messages()).length;
    if (arrived !== emails) throw new Error(`bare loop: ${arrived}/${emails} arrived`);
    return rate;
  } finally {
    await fake.close();
  }
}

/**
 * graphile-worker on its own schema in the bench database: add N jobs, time the worker draining them. "noop"
 * jobs do nothing; "send" jobs make the same mailgun.js `messages.create` call as the bare loop, to a fake of
 * their own, so the queue pays the same transport cost as the dispatcher.
 */
async function graphileWorker(options: DispatchOptions, task: "noop" | "send"): Promise<number> {
  const { run, quickAddJob, Logger } = await import("graphile-worker");
  const logger = new Logger(() => () => {});
  await quickAddJob({ connectionString: options.url, logger }, "noop", {}); // installs the schema
  const sql = postgres(options.url, { max: 1, onnotice: () => {} });
  const fake = task === "send" ? await startFakeMailgunProcess() : undefined;
  try {
    await sql`delete from graphile_worker._private_jobs`.catch(() => sql`delete from graphile_worker.jobs`);
    await sql`select graphile_worker.add_jobs(array(
      select row(${task}::text, json_build_object('i', i), null, null, null, null, null, null)::graphile_worker.job_spec
      from generate_series(1, ${options.emails}) as i))`;
    const client = fake
      ? new Mailgun(FormData).client({ username: "api", key: fake.apiKey, url: fake.url })
      : undefined;
    let done = 0;
    const started = performance.now();
    const runner = await run({
      connectionString: options.url,
      concurrency: CONCURRENCY,
      noHandleSignals: true,
      pollInterval: 100,
      logger,
      taskList: {
        noop: () => {
          done++;
          return Promise.resolve();
        },
        send: async (payload) => {
          const i = (payload as { i: number }).i;
          await client!.messages.create("mb1.bench.example", benchMessage(i));
          done++;
        },
      },
    });
    while (done < options.emails) await new Promise((r) => setTimeout(r, 5));
    const rate = options.emails / ((performance.now() - started) / 1000);
    await runner.stop();
    if (fake) {
      const arrived = (await fake.messages()).length;
      if (arrived !== options.emails) {
        throw new Error(`graphile-worker send: ${arrived}/${options.emails} arrived`);
      }
    }
    return rate;
  } finally {
    await sql.end();
    await fake?.close();
  }
}
