import assert from "node:assert/strict";
import { loadConfig } from "@/fresh.config.ts";
import { createPool } from "@/db/client.ts";
import { createSecretBox } from "@/core/secrets.ts";
import { transportFromConfig } from "./transport.ts";

// Never connected: postgres.js opens connections on the first query, and these transports make none.
const unused = createPool("postgres://unused@127.0.0.1:9/unused", { max: 1 });
const secrets = createSecretBox(() => "test-secret-test-secret-test-secret-0123456789");

Deno.test("transportFromConfig - follows MAIL_TRANSPORT; only SMTP cannot look a message up", () => {
  const outbox = transportFromConfig(loadConfig({ MAIL_TRANSPORT: "outbox" }), unused, secrets);
  assert.equal(outbox.name, "outbox");
  assert.equal(outbox.canLookUp, true);
  const smtp = transportFromConfig(loadConfig({ MAIL_TRANSPORT: "smtp" }), unused, secrets);
  assert.equal(smtp.name, "smtp");
  assert.equal(smtp.canLookUp, false);
  const mailgun = loadConfig({ MAILGUN_API_KEY: "key-1", MAILGUN_URL: "http://127.0.0.1:9" });
  assert.equal(
    transportFromConfig(mailgun, unused, secrets).name,
    "mailgun",
    "mailgun when an API key is set",
  );
  assert.equal(transportFromConfig(mailgun, unused, secrets).canLookUp, true);
});

Deno.test("transportFromConfig - the SMTP transport loads nodemailer only when it is used", async () => {
  const smtp = transportFromConfig(loadConfig({ MAIL_TRANSPORT: "smtp" }), unused, secrets);
  const lookup = await smtp.lookup("t", {
    id: 1,
    email: "a@b.example",
    domain: "b.example",
    smtp_host: "127.0.0.1",
    smtp_port: 9,
    smtp_username: "u",
    smtp_password_encrypted: "v1.x.y",
  }, new Date());
  assert.equal(lookup.kind, "unknown");
  await unused.end();
});
