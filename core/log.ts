/**
 * Structured logging: one JSON object per line on stdout (stderr for errors), so
 * a log shipper can index every field. A `requestId` field becomes `request_id`,
 * which ties every line of one request (and its error answer) together.
 *
 * @example
 * log.info("job finished", { job: "expire-jobs", duration_ms: 12 });
 * log.error("request failed", { requestId: ctx.state.requestId, error });
 */

export type Level = "debug" | "info" | "warn" | "error";
export type Fields = Record<string, unknown> & { requestId?: string };

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

type Sink = (level: Level, line: string) => void;

const defaultSink: Sink = (level, line) => {
  if (level === "error") console.error(line);
  else console.log(line);
};

let sink: Sink = defaultSink;
let minLevel: Level = readLevel();

function readLevel(): Level {
  let value: string | undefined;
  try {
    value = Deno.env.get("ROLEFERRY_LOG_LEVEL") ?? undefined;
  } catch {
    value = undefined; // no --allow-env: keep the default
  }
  return value && value in ORDER ? value as Level : "info";
}

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

function write(level: Level, msg: string, fields?: Fields): void {
  if (ORDER[level] < ORDER[minLevel]) return;
  sink(level, formatEntry(level, msg, fields));
}

/** The logger. Fields are merged into the line; `requestId` is written as `request_id`. */
export const log = {
  debug: (msg: string, fields?: Fields) => write("debug", msg, fields),
  info: (msg: string, fields?: Fields) => write("info", msg, fields),
  warn: (msg: string, fields?: Fields) => write("warn", msg, fields),
  error: (msg: string, fields?: Fields) => write("error", msg, fields),
  /** A logger that adds `fields` (e.g. the request id) to every line it writes. */
  with(base: Fields) {
    return {
      debug: (msg: string, fields?: Fields) => write("debug", msg, { ...base, ...fields }),
      info: (msg: string, fields?: Fields) => write("info", msg, { ...base, ...fields }),
      warn: (msg: string, fields?: Fields) => write("warn", msg, { ...base, ...fields }),
      error: (msg: string, fields?: Fields) => write("error", msg, { ...base, ...fields }),
    };
  },
};

/** What `app.log` is: the logger and its `with(fields)`. */
export type Logger = typeof log;

/**
 * Redirects log output (tests capture lines with it) and returns a function that
 * restores the previous sink. `level` changes the threshold while it is active.
 */
export function captureLog(capture: Sink, level: Level = "debug"): () => void {
  const previousSink = sink;
  const previousLevel = minLevel;
  sink = capture;
  minLevel = level;
  return () => {
    sink = previousSink;
    minLevel = previousLevel;
  };
}
