import assert from "node:assert/strict";
import { loadConfig, setConfig } from "@/fresh.config.ts";
import { startFakeMailgun } from "@/tests/helpers/fake_mailgun.ts";
import { startFakeSmtp } from "@/tests/helpers/fake_smtp.ts";
import { senderAddress, sendSystemMail } from "./system_mail.ts";

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
      setConfig(loadConfig({
        ROLEFERRY_ENV: "test",
        MAIL_TRANSPORT: "mailgun",
        MAILGUN_API_KEY: fake.apiKey,
        MAILGUN_URL: fake.url,
        MAIL_SYSTEM_FROM: "RoleFerry <no-reply@system.example>",
      }));
      const id = await sendSystemMail(MESSAGE);
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
      setConfig(loadConfig({
        ROLEFERRY_ENV: "test",
        MAIL_TRANSPORT: "smtp",
        MAIL_SYSTEM_FROM: "no-reply@system.example",
        MAIL_SYSTEM_SMTP_URL: `smtp://sys-login:sys-pass@127.0.0.1:${fake.port}`,
      }));
      await sendSystemMail(MESSAGE);
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
