import assert from "node:assert/strict";
import { ConfigError, loadConfig, resolveSecret } from "./fresh.config.ts";

Deno.test("loadConfig - the contract's defaults", () => {
  const config = loadConfig({});
  assert.equal(config.port, 8000);
  assert.equal(config.hostname, "127.0.0.1");
  assert.equal(config.env, "development");
  assert.equal(config.dataDir, "./.data");
  assert.equal(config.appBaseUrl, "http://127.0.0.1:8000");
  assert.equal(config.mailTransport, "outbox");
  assert.equal(config.mailgunUrl, "https://api.mailgun.net");
  assert.equal(config.cron, true);
  assert.equal(config.databaseUrl, undefined);
});

Deno.test("loadConfig - mailgun is the transport when an API key is set", () => {
  assert.equal(loadConfig({ MAILGUN_API_KEY: "key-1" }).mailTransport, "mailgun");
  assert.equal(loadConfig({ MAILGUN_API_KEY: "key-1", MAIL_TRANSPORT: "smtp" }).mailTransport, "smtp");
});

Deno.test("loadConfig - empty strings count as unset", () => {
  assert.equal(loadConfig({ DATABASE_URL: "", PORT: "" }).port, 8000);
});

Deno.test("loadConfig - a bad value is one line naming the variable", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: "eighty" }, /^invalid configuration: PORT /],
    [{ PORT: "70000" }, /^invalid configuration: PORT /],
    [{ ROLEFERRY_ENV: "prod" }, /^invalid configuration: ROLEFERRY_ENV /],
    [{ DATABASE_URL: "mysql://x" }, /^invalid configuration: DATABASE_URL /],
    [{ ROLEFERRY_CRON: "yes" }, /^invalid configuration: ROLEFERRY_CRON /],
    [{ ROLEFERRY_SECRET: "short" }, /^invalid configuration: ROLEFERRY_SECRET /],
    [{ ROLEFERRY_ENV: "production" }, /^invalid configuration: ROLEFERRY_SECRET is required in production$/],
    [{ MAIL_TRANSPORT: "mailgun" }, /^invalid configuration: MAILGUN_API_KEY /],
    [{ APP_BASE_URL: "not a url" }, /^invalid configuration: APP_BASE_URL /],
    [
      { ROLEFERRY_ENV: "production", ROLEFERRY_SECRET: "s".repeat(40) },
      /^invalid configuration: APP_BASE_URL /,
    ],
    [
      {
        ROLEFERRY_ENV: "production",
        ROLEFERRY_SECRET: "s".repeat(40),
        APP_BASE_URL: "http://127.0.0.1:8000",
      },
      /^invalid configuration: APP_BASE_URL is required in production and must be an https:\/\/ URL$/,
    ],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadConfig(env), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, message);
      assert.equal(error.message.includes("\n"), false);
      return true;
    });
  }
});

Deno.test("loadConfig - production accepts an https APP_BASE_URL; other environments keep the http default", () => {
  const production = loadConfig({
    ROLEFERRY_ENV: "production",
    ROLEFERRY_SECRET: "s".repeat(40),
    APP_BASE_URL: "https://app.roleferry.example/",
    MAIL_SYSTEM_FROM: "RoleFerry <no-reply@mail.roleferry.example>",
  });
  assert.equal(production.appBaseUrl, "https://app.roleferry.example");
  assert.equal(loadConfig({ PORT: "9000" }).appBaseUrl, "http://127.0.0.1:9000");
  assert.equal(loadConfig({}).autoReplyDelayDays, 3);
  assert.equal(loadConfig({ ROLEFERRY_AUTO_REPLY_DELAY_DAYS: "7" }).autoReplyDelayDays, 7);
});

Deno.test("resolveSecret - generated once into the data dir and kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await resolveSecret(loadConfig({ ROLEFERRY_DATA_DIR: dir }));
    const second = await resolveSecret(loadConfig({ ROLEFERRY_DATA_DIR: dir }));
    assert.equal(first, second);
    assert.ok(first.length >= 32);
    assert.equal((await Deno.stat(`${dir}/secret`)).mode! & 0o777, 0o600);
    const given = "x".repeat(40);
    assert.equal(
      await resolveSecret(loadConfig({ ROLEFERRY_DATA_DIR: dir, ROLEFERRY_SECRET: given })),
      given,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig - deliverability: ROLEFERRY_DNS host:port, the SMTP probe off by default", () => {
  const defaults = loadConfig({});
  assert.equal(defaults.dnsServer, undefined);
  assert.equal(defaults.smtpProbe, false);
  assert.equal(defaults.smtpProbePort, 25);
  const set = loadConfig({
    ROLEFERRY_DNS: "127.0.0.1:5353",
    ROLEFERRY_SMTP_PROBE: "on",
    ROLEFERRY_SMTP_PROBE_PORT: "2525",
  });
  assert.deepEqual([set.dnsServer, set.smtpProbe, set.smtpProbePort], ["127.0.0.1:5353", true, 2525]);
  assert.equal(loadConfig({ ROLEFERRY_DNS: "[::1]:53" }).dnsServer, "[::1]:53");
  assert.throws(
    () => loadConfig({ ROLEFERRY_DNS: "dns.example:53" }),
    (e: Error) => e instanceof ConfigError && /^invalid configuration: ROLEFERRY_DNS /.test(e.message),
  );
  assert.throws(() => loadConfig({ ROLEFERRY_SMTP_PROBE: "yes" }), /ROLEFERRY_SMTP_PROBE/);
});
