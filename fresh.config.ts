/**
 * The typed configuration of contract §2, read once from the environment and
 * validated with zod. A bad value stops the start with one line that names the
 * variable (see `ConfigError`), so an operator never hunts through a stack trace.
 */
import { z } from "zod";

const bool = (name: string) => z.enum(["on", "off"], { error: `${name} must be "on" or "off"` });

const EnvSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string").optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOSTNAME: z.string().min(1).default("127.0.0.1"),
  ROLEFERRY_ENV: z.enum(["development", "test", "staging", "production"]).default("development"),
  ROLEFERRY_DATA_DIR: z.string().min(1).default("./.data"),
  ROLEFERRY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ROLEFERRY_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  APP_BASE_URL: z.url().optional(),
  MAIL_TRANSPORT: z.enum(["mailgun", "smtp", "outbox"]).optional(),
  MAILGUN_API_KEY: z.string().min(1).optional(),
  MAILGUN_URL: z.url().default("https://api.mailgun.net"),
  MAILGUN_WEBHOOK_SIGNING_KEY: z.string().min(1).optional(),
  ROLEFERRY_CRON: bool("ROLEFERRY_CRON").default("on"),
  DATABASE_REPLICA_URL: z.string().refine(
    (v) =>
      /^\s*postgres(ql)?:\/\//.test(v) && splitReplicaUrls(v).every((u) => /^postgres(ql)?:\/\/\S+$/.test(u)),
    "must be one or more postgres:// connection strings separated by commas",
  ).optional(),
  DATABASE_REPLICA_MAX_LAG_S: z.coerce.number().positive("must be a positive number of seconds").default(5),
  /** Days an out-of-office without a return date delays the contact's next step (issue 11). */
  ROLEFERRY_AUTO_REPLY_DELAY_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  MAIL_SYSTEM_FROM: z.string().max(300).regex(
    /^[^\r\n]*@[^\r\n]+$/,
    "must be an address like RoleFerry <no-reply@mail.example>",
  )
    .optional(),
  MAIL_SYSTEM_SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
  ROLEFERRY_DNS: z.string().regex(
    /^(\[[0-9a-fA-F:.]+\]|[0-9.]+)(:[0-9]{1,5})?$/,
    "must be host:port (an IP address)",
  )
    .optional(),
  ROLEFERRY_SMTP_PROBE: bool("ROLEFERRY_SMTP_PROBE").default("off"),
  ROLEFERRY_SMTP_PROBE_PORT: z.coerce.number().int().min(1).max(65535).default(25),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  databaseUrl?: string;
  port: number;
  hostname: string;
  env: Env["ROLEFERRY_ENV"];
  dataDir: string;
  /** Undefined until `resolveSecret` has run: production requires it from the environment. */
  secret?: string;
  adminToken?: string;
  appBaseUrl: string;
  mailTransport: "mailgun" | "smtp" | "outbox";
  mailgunApiKey?: string;
  mailgunUrl: string;
  mailgunWebhookSigningKey?: string;
  cron: boolean;
  /** Read replicas (db/replicas.ts); empty: every read uses the primary. */
  replicaUrls: string[];
  /** A replica further behind than this many seconds is skipped. */
  replicaMaxLagS: number;
  autoReplyDelayDays: number;
  /** Sender of system mail (reset, verification, notices); see services/mail/system_mail.ts. */
  mailSystemFrom: string;
  /** SMTP server for system mail when MAIL_TRANSPORT is smtp (outreach uses each mailbox's own server). */
  mailSystemSmtpUrl?: string;
  /** `ROLEFERRY_DNS` as `host:port`; unset: the system's resolver (services/deliverability/dns.ts). */
  dnsServer?: string;
  /** The SMTP RCPT probe of address verification (off by default: docs/deliverability.md says why). */
  smtpProbe?: boolean;
  smtpProbePort?: number;
}

/** A configuration problem, reported as one line naming the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Reads and validates the configuration. Empty strings count as unset, so
 * `DATABASE_URL= deno task start` means "use the embedded database".
 *
 * @example
 * const config = loadConfig({ PORT: "9000" }); // config.port === 9000
 */
export function loadConfig(env: Record<string, string | undefined> = Deno.env.toObject()): Config {
  const present = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const e = parsed.data;
  if (e.ROLEFERRY_ENV === "production" && !e.ROLEFERRY_SECRET) {
    throw new ConfigError("invalid configuration: ROLEFERRY_SECRET is required in production");
  }
  // Unsubscribe and tracking links in real mail must not point at a local or plain-http address (RFC 8058
  // one-click unsubscribe is https; Gmail and Yahoo's 2024 sender rules).
  if (e.ROLEFERRY_ENV === "production" && !e.APP_BASE_URL?.startsWith("https://")) {
    throw new ConfigError(
      "invalid configuration: APP_BASE_URL is required in production and must be an https:// URL",
    );
  }
  if (e.MAIL_TRANSPORT === "mailgun" && !e.MAILGUN_API_KEY) {
    throw new ConfigError(
      "invalid configuration: MAILGUN_API_KEY is required when MAIL_TRANSPORT is mailgun",
    );
  }
  if (e.ROLEFERRY_ENV === "production" && !e.MAIL_SYSTEM_FROM) {
    throw new ConfigError("invalid configuration: MAIL_SYSTEM_FROM is required in production");
  }
  if (e.ROLEFERRY_ENV === "production" && e.MAIL_TRANSPORT === "smtp" && !e.MAIL_SYSTEM_SMTP_URL) {
    throw new ConfigError(
      "invalid configuration: MAIL_SYSTEM_SMTP_URL is required when MAIL_TRANSPORT is smtp",
    );
  }
  const displayHost = e.HOSTNAME.includes(":") ? `[${e.HOSTNAME}]` : e.HOSTNAME;
  const appBaseUrl = (e.APP_BASE_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/+$/, "");
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    hostname: e.HOSTNAME,
    env: e.ROLEFERRY_ENV,
    dataDir: e.ROLEFERRY_DATA_DIR,
    secret: e.ROLEFERRY_SECRET,
    adminToken: e.ROLEFERRY_ADMIN_TOKEN,
    appBaseUrl,
    mailTransport: e.MAIL_TRANSPORT ?? (e.MAILGUN_API_KEY ? "mailgun" : "outbox"),
    mailgunApiKey: e.MAILGUN_API_KEY,
    mailgunUrl: e.MAILGUN_URL.replace(/\/+$/, ""),
    mailgunWebhookSigningKey: e.MAILGUN_WEBHOOK_SIGNING_KEY,
    cron: e.ROLEFERRY_CRON === "on",
    replicaUrls: splitReplicaUrls(e.DATABASE_REPLICA_URL),
    replicaMaxLagS: e.DATABASE_REPLICA_MAX_LAG_S,
    autoReplyDelayDays: e.ROLEFERRY_AUTO_REPLY_DELAY_DAYS,
    mailSystemFrom: e.MAIL_SYSTEM_FROM ?? `no-reply@${new URL(appBaseUrl).hostname.replace(/^\[|\]$/g, "")}`,
    mailSystemSmtpUrl: e.MAIL_SYSTEM_SMTP_URL,
    dnsServer: e.ROLEFERRY_DNS,
    smtpProbe: e.ROLEFERRY_SMTP_PROBE === "on",
    smtpProbePort: e.ROLEFERRY_SMTP_PROBE_PORT,
  };
}

/**
 * `DATABASE_REPLICA_URL` split into URLs: commas separate replicas, but a multi-host URL has commas of its
 * own, so only a comma followed by `postgres://` starts the next one.
 */
export function splitReplicaUrls(value: string | undefined): string[] {
  if (!value?.trim()) return [];
  return value.split(/,\s*(?=postgres(?:ql)?:\/\/)/).map((s) => s.trim()).filter(Boolean);
}

/**
 * Fills `config.secret`: from the environment when set, otherwise from
 * `<dataDir>/secret`, generated once (32 random bytes, base64url) and kept with
 * mode 0600 so sessions and encrypted SMTP passwords survive restarts.
 */
export async function resolveSecret(config: Config): Promise<string> {
  if (config.secret) return config.secret;
  const path = `${config.dataDir}/secret`;
  try {
    config.secret = (await Deno.readTextFile(path)).trim();
    if (config.secret.length >= 32) return config.secret;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(config.dataDir, { recursive: true });
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const secret = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(
    /=+$/,
    "",
  );
  try {
    await Deno.writeTextFile(path, secret + "\n", { mode: 0o600, createNew: true });
    config.secret = secret;
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    config.secret = (await Deno.readTextFile(path)).trim(); // another process won the race
  }
  return config.secret;
}
