/**
 * Structured logging: one JSON object per line on stdout (stderr for errors), so
 * a log shipper can index every field. A `requestId` field becomes `request_id`,
 * which ties every line of one request (and its error answer) together.
 *
 * A logger is an object: the composition root makes the app's (`createLogger()`, level from
 * `ROLEFERRY_LOG_LEVEL`) and hands it down as `app.log`; a test or a script that wants the lines elsewhere
 * makes one of its own with a `sink`. Nothing here is shared between loggers.
 *
 * @example
 * app.log.info("job finished", { job: "expire-jobs", duration_ms: 12 });
 * app.log.with({ requestId }).error("request failed", { error });
 */

export type Level = "debug" | "info" | "warn" | "error";
export type Fields = Record<string, unknown> & { requestId?: string };

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where a logger writes its lines. */
export type Sink = (level: Level, line: string) => void;

/** Errors on stderr, the rest on stdout. */
export const consoleSink: Sink = (level, line) => {
  if (level === "error") console.error(line);
  else console.log(line);
};

/** Every line on stderr (a script whose stdout is its result, e.g. `deno task job`). */
export const stderrSink: Sink = (_level, line) => console.error(line);

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger that adds `fields` (e.g. the request id) to every line it writes. */
  with(base: Fields): Logger;
}

export interface LoggerOptions {
  /** Default: {@link consoleSink}. */
  sink?: Sink;
  /** Lines below this level are dropped. Default: {@link levelFromEnv}. */
  level?: Level;
}

/** `ROLEFERRY_LOG_LEVEL` when it names a level, else "info" (also without --allow-env). */
export function levelFromEnv(): Level {
  let value: string | undefined;
  try {
    value = Deno.env.get("ROLEFERRY_LOG_LEVEL") ?? undefined;
  } catch {
    value = undefined; // no --allow-env: keep the default
  }
  return value && value in ORDER ? value as Level : "info";
}

/**
 * A logger writing to `sink` from `level` up.
 *
 * @example
 * const lines: string[] = [];
 * const log = createLogger({ sink: (_level, line) => lines.push(line), level: "debug" });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const sink = options.sink ?? consoleSink;
  const min = ORDER[options.level ?? levelFromEnv()];
  const make = (base: Fields | undefined): Logger => {
    const write = (level: Level, msg: string, fields?: Fields) => {
      if (ORDER[level] < min) return;
      sink(level, formatEntry(level, msg, base ? { ...base, ...fields } : fields));
    };
    return {
      debug: (msg, fields) => write("debug", msg, fields),
      info: (msg, fields) => write("info", msg, fields),
      warn: (msg, fields) => write("warn", msg, fields),
      error: (msg, fields) => write("error", msg, fields),
      with: (more) => make({ ...base, ...more }),
    };
  };
  return make(undefined);
}

/**
 * A logger on the console for code not handed an app context yet (it holds no state: its sink and level
 * are fixed when the module loads). New code logs through `app.log`.
 */
export const log: Logger = createLogger();

/** Builds the JSON line for one entry; exported for tests and for code that needs the text. */
export function formatEntry(level: Level, msg: string, fields: Fields = {}, now = new Date()): string {
  const { requestId, ...rest } = fields;
  const entry: Record<string, unknown> = { ts: now.toISOString(), level, msg };
  if (requestId) entry.request_id = requestId;
  for (const [key, value] of Object.entries(rest)) {
    if (key === "ts" || key === "level" || key === "msg" || value === undefined) continue;
    entry[key] = value instanceof Error ? serializeError(value) : value;
  }
  return JSON.stringify(entry, (_key, value) => typeof value === "bigint" ? value.toString() : value);
}

function serializeError(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (error.stack) out.stack = error.stack.split("\n").slice(0, 8).join("\n");
  return out;
}
