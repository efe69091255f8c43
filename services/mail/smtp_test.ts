import assert from "node:assert/strict";
import { loadConfig, setConfig } from "@/fresh.config.ts";
import { createSecretBox, encryptSecret } from "@/core/secrets.ts";
import { startFakeSmtp } from "@/tests/helpers/fake_smtp.ts";
import { smtpTransport } from "./smtp.ts";
import type { OutgoingMessage } from "@/core/mail/types.ts";

const SECRET = "smtp-test-secret-smtp-test-secret-0123456789";
setConfig(loadConfig({ ROLEFERRY_ENV: "test", ROLEFERRY_SECRET: SECRET, MAIL_TRANSPORT: "smtp" }));
const secrets = createSecretBox(() => SECRET);

async function message(port: number): Promise<OutgoingMessage> {
  return {
    token: "tok-123",
    mailbox: {
      id: 1,
      email: "sender@mb.example",
      domain: "mb.example",
      smtp_host: "127.0.0.1",
      smtp_port: port,
      smtp_username: "sender-login",
      smtp_password_encrypted: await encryptSecret("pa55-w0rd", SECRET),
    },
    to: "ada@people.example",
    subject: "Hello Ada",
    text: "Hi Ada,\n\nA line.\n",
    unsubscribeUrl: "http://app.example/unsubscribe/abc",
  };
}

Deno.test({
  name: "smtpTransport - sends with the mailbox's own decrypted credentials and the unsubscribe headers",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const smtp = startFakeSmtp();
    try {
      const outcome = await smtpTransport({ timeoutMs: 5000, secrets }).send(await message(smtp.port));
      assert.equal(outcome.kind, "sent", JSON.stringify(outcome));
      assert.equal(smtp.messages.length, 1);
      const m = smtp.messages[0];
      assert.deepEqual([m.user, m.pass], ["sender-login", "pa55-w0rd"]);
      assert.equal(m.from, "<sender@mb.example>");
      assert.deepEqual(m.to, ["<ada@people.example>"]);
      assert.match(m.data, /^Subject: Hello Ada$/m);
      assert.match(m.data, /^List-Unsubscribe: <http:\/\/app\.example\/unsubscribe\/abc>$/m);
      assert.match(m.data, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
      if (outcome.kind === "sent") {
        assert.match(outcome.messageId, /^<tok-123\.[0-9a-f-]+@mb\.example>$/);
        assert.match(
          m.data,
          new RegExp(`^Message-ID: ${outcome.messageId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"),
        );
      }
    } finally {
      smtp.close();
    }
  },
});

Deno.test({
  name: "smtpTransport - a 5xx refusal is permanent, a 4xx temporary, a closed port temporary",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const smtp = startFakeSmtp();
    try {
      smtp.rejectRcpt = "550 5.1.1 no such user";
      const permanent = await smtpTransport({ timeoutMs: 5000, secrets }).send(await message(smtp.port));
      assert.equal(permanent.kind, "permanent", JSON.stringify(permanent));
      smtp.rejectRcpt = "451 4.3.0 try again later";
      const temporary = await smtpTransport({ timeoutMs: 5000, secrets }).send(await message(smtp.port));
      assert.equal(temporary.kind, "temporary", JSON.stringify(temporary));
      assert.equal(smtp.messages.length, 0);
    } finally {
      smtp.close();
    }
    const closed = await smtpTransport({ timeoutMs: 2000, secrets }).send(await message(smtp.port));
    assert.equal(closed.kind, "temporary", JSON.stringify(closed));
    const lookup = await smtpTransport({ secrets }).lookup(
      "tok-123",
      (await message(smtp.port)).mailbox,
      new Date(),
    );
    assert.equal(lookup.kind, "unknown");
  },
});

Deno.test({
  name: "smtpTransport - our Message-ID, the sender's name, thread headers and Reply-To",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const smtp = startFakeSmtp();
    try {
      const outcome = await smtpTransport({ timeoutMs: 5000, secrets }).send({
        ...(await message(smtp.port)),
        messageId: "<rf.tok-123.two@mb.example>",
        fromName: "Sam Sender",
        replyTo: "sam.personal@example.org",
        thread: ["<rf.tok-1.one@mb.example>"],
      });
      assert.equal(outcome.kind, "sent", JSON.stringify(outcome));
      assert.equal(outcome.kind === "sent" && outcome.messageId, "<rf.tok-123.two@mb.example>");
      const data = smtp.messages[0].data;
      assert.match(data, /^Message-ID: <rf\.tok-123\.two@mb\.example>$/m);
      assert.match(data, /^From: Sam Sender <sender@mb\.example>$/m);
      assert.match(data, /^In-Reply-To: <rf\.tok-1\.one@mb\.example>$/m);
      assert.match(data, /^References: <rf\.tok-1\.one@mb\.example>$/m);
      assert.match(data, /^Reply-To: sam\.personal@example\.org$/m);
    } finally {
      await smtp.close();
    }
  },
});
