import assert from "node:assert/strict";
import { loadConfig } from "@/fresh.config.ts";
import { transportFromConfig } from "./transport.ts";

Deno.test("transportFromConfig - follows MAIL_TRANSPORT and reuses one transport per configuration", () => {
  const outbox = loadConfig({ MAIL_TRANSPORT: "outbox" });
  assert.equal(transportFromConfig(outbox).name, "outbox");
  assert.equal(transportFromConfig(outbox), transportFromConfig(outbox));
  const smtp = loadConfig({ MAIL_TRANSPORT: "smtp" });
  assert.equal(transportFromConfig(smtp).name, "smtp");
  const mailgun = loadConfig({ MAILGUN_API_KEY: "key-1", MAILGUN_URL: "http://127.0.0.1:9" });
  assert.equal(transportFromConfig(mailgun).name, "mailgun", "mailgun when an API key is set");
});

Deno.test("transportFromConfig - the SMTP transport loads nodemailer only when it is used", async () => {
  const smtp = transportFromConfig(loadConfig({ MAIL_TRANSPORT: "smtp" }));
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
});
