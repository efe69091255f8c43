import assert from "node:assert/strict";
import { type Config, loadConfig } from "@/fresh.config.ts";
import { createPool } from "@/db/client.ts";
import { log } from "@/core/log.ts";
import { startFakeMailgun } from "@/tests/helpers/fake_mailgun.ts";
import { startFakeSmtp } from "@/tests/helpers/fake_smtp.ts";
import { senderAddress, sendSystemMail, SystemMailQueue } from "./system_mail.ts";

// Never connected: only the outbox path stores through the pool, and these tests send through Mailgun and SMTP.
const unused = createPool("postgres://unused@127.0.0.1:9/unused", { max: 1 });
const mailApp = (config: Config) => ({ config, sql: unused, log });
/** The config of a Mailgun system sender posting to `fake`. */
const mailgunConfig = (fake: { apiKey: string; url: string }, from: string) =>
  loadConfig({
    ROLEFERRY_ENV: "test",
    MAIL_TRANSPORT: "mailgun",
    MAILGUN_API_KEY: fake.apiKey,
    MAILGUN_URL: fake.url,
    MAIL_SYSTEM_FROM: from,
  });

const MESSAGE = {
  to: "ada@people.example",
  subject: "Reset",
  text: "Follow the link.\n",
  kind: "password_reset",
};

Deno.test("senderAddress - the bare address of a display-name sender", () => {
  assert.equal(senderAddress("RoleFerry <no-reply@mail.example>"), "no-reply@mail.example");
  assert.equal(senderAddress("no-reply@mail.example"), "no-reply@mail.example");
});

Deno.test({
  name: "sendSystemMail - mailgun: posts to the MAIL_SYSTEM_FROM domain from the system sender",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fake = startFakeMailgun();
    try {
      const config = mailgunConfig(fake, "RoleFerry <no-reply@system.example>");
      const id = await sendSystemMail(mailApp(config), MESSAGE);
      assert.ok(id);
      assert.equal(fake.messages.length, 1);
      const [m] = fake.messages;
      assert.equal(m.domain, "system.example");
      assert.equal(m.fields.from, "RoleFerry <no-reply@system.example>");
      assert.equal(m.fields.to, "ada@people.example");
      assert.equal(m.fields.subject, "Reset");
      assert.equal(m.fields["o:tag"], "system-password_reset");
      assert.equal("v:outreach" in m.fields, false, "not an outreach message");
    } finally {
      await fake.close();
    }
  },
});

Deno.test({
  name: "sendSystemMail - smtp: through MAIL_SYSTEM_SMTP_URL, not a mailbox's server",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fake = startFakeSmtp();
    try {
      const config = loadConfig({
        ROLEFERRY_ENV: "test",
        MAIL_TRANSPORT: "smtp",
        MAIL_SYSTEM_FROM: "no-reply@system.example",
        MAIL_SYSTEM_SMTP_URL: `smtp://sys-login:sys-pass@127.0.0.1:${fake.port}`,
      });
      await sendSystemMail(mailApp(config), MESSAGE);
      assert.equal(fake.messages.length, 1);
      const [m] = fake.messages;
      assert.equal(m.user, "sys-login");
      assert.equal(m.from, "<no-reply@system.example>");
      assert.deepEqual(m.to, ["<ada@people.example>"]);
      assert.match(m.data, /Subject: Reset/);
    } finally {
      fake.close();
    }
  },
});

Deno.test("loadConfig - MAIL_SYSTEM_FROM defaults to no-reply at the APP_BASE_URL host; required in production", () => {
  assert.equal(
    loadConfig({ APP_BASE_URL: "https://app.example.com" }).mailSystemFrom,
    "no-reply@app.example.com",
  );
  assert.equal(loadConfig({}).mailSystemFrom, "no-reply@127.0.0.1");
  assert.throws(
    () =>
      loadConfig({
        ROLEFERRY_ENV: "production",
        ROLEFERRY_SECRET: "x".repeat(32),
        APP_BASE_URL: "https://app.example.com",
      }),
    /MAIL_SYSTEM_FROM is required in production/,
  );
  assert.throws(() => loadConfig({ MAIL_SYSTEM_FROM: "no address" }), /MAIL_SYSTEM_FROM/);
});

Deno.test({
  name: "SystemMailQueue - queue does not wait; settle waits for the sends; a failure is logged, not thrown",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fake = startFakeMailgun();
    try {
      const config = mailgunConfig(fake, "no-reply@system.example");
      const errors: unknown[] = [];
      const quiet = { ...log, error: (...args: unknown[]) => void errors.push(args) } as typeof log;
      const tracked: Promise<unknown>[] = [];
      const queue = new SystemMailQueue({ config, sql: unused, log: quiet }, (work) => {
        const promise = work();
        tracked.push(promise);
        return promise;
      });
      queue.queue(MESSAGE);
      queue.queue({ ...MESSAGE, to: "bob@people.example" });
      assert.equal(fake.messages.length, 0, "queue returns before the provider is asked");
      await queue.settle();
      assert.equal(fake.messages.length, 2);
      assert.equal(tracked.length, 2, "each send is tracked (shutdown waits for it)");

      const broken = new SystemMailQueue(
        { config: { ...config, mailgunUrl: "http://127.0.0.1:9" }, sql: unused, log: quiet },
      );
      broken.queue(MESSAGE);
      await broken.settle();
      assert.equal(errors.length, 1, "the failure was logged");
    } finally {
      await fake.close();
    }
  },
});
