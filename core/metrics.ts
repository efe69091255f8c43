/**
 * In-process metrics in the Prometheus text format (version 0.0.4), served by
 * `GET /metrics`. Each app instance keeps its own counters and Prometheus
 * scrapes every instance, so nothing here needs sharing between processes.
 *
 * The registry is an object (`createMetrics()`), made by the composition root
 * and reached as `app.metrics`: the root middleware records each answered
 * request, the job registry each run and the emails the dispatcher sent.
 */

type Labels = Record<string, string>;

/** Request latency buckets, in seconds. */
export const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Job duration buckets, in seconds. */
export const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

class Counter {
  readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels, by = 1): void {
    const key = labelKey(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) {
      lines.push(`${this.name}${fmtLabels(labels)} ${value}`);
    }
    return lines;
  }
}

class Histogram {
  readonly values = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {}

  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let entry = this.values.get(key);
    if (!entry) {
      entry = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.values.set(key, entry);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) entry.counts[i]++;
    entry.sum += value;
    entry.count++;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.values.values()) {
      this.buckets.forEach((le, i) => {
        lines.push(`${this.name}_bucket${fmtLabels({ ...labels, le: String(le) })} ${counts[i]}`);
      });
      lines.push(`${this.name}_bucket${fmtLabels({ ...labels, le: "+Inf" })} ${count}`);
      lines.push(`${this.name}_sum${fmtLabels(labels)} ${round(sum)}`);
      lines.push(`${this.name}_count${fmtLabels(labels)} ${count}`);
    }
    return lines;
  }
}

export interface Metrics {
  /**
   * Records one answered HTTP request. `route` is the route pattern (`/api/jobs/:id`), never the raw path,
   * so the number of series stays bounded.
   *
   * @example
   * app.metrics.recordRequest("/api/jobs/:id", "GET", 200, 12.5);
   */
  recordRequest(route: string, method: string, status: number, ms: number): void;
  /** Records one scheduled job run (the registry calls it for every run, also skipped ones). */
  recordJobRun(name: string, outcome: "ok" | "error" | "skipped", ms: number, rows?: number): void;
  /** Records emails handed to the transport (`sent`) or refused by it (`failed`). */
  recordEmail(outcome: "sent" | "failed", count?: number): void;
  /** The whole registry in the Prometheus text exposition format. */
  render(): string;
}

/**
 * A metrics registry of its own: the composition root makes the app's (`app.metrics`), so its counters
 * live as long as the app, and a test's app starts from zero.
 */
export function createMetrics(now: () => number = Date.now): Metrics {
  const requests = new Counter(
    "roleferry_http_requests_total",
    "HTTP requests answered, by route pattern, method and status.",
  );
  const requestSeconds = new Histogram(
    "roleferry_http_request_duration_seconds",
    "HTTP request latency in seconds, by route pattern and method.",
    REQUEST_BUCKETS,
  );
  const jobRuns = new Counter(
    "roleferry_job_runs_total",
    "Scheduled job runs by job and outcome (ok, error, skipped).",
  );
  const jobSeconds = new Histogram(
    "roleferry_job_duration_seconds",
    "Scheduled job run time in seconds.",
    JOB_BUCKETS,
  );
  const jobRows = new Counter("roleferry_job_rows_total", "Rows touched by scheduled job runs.");
  const emails = new Counter(
    "roleferry_emails_total",
    "Outreach emails handed to the transport, by outcome (sent, failed).",
  );
  const started = now();
  return {
    recordRequest(route, method, status, ms) {
      requests.inc({ route, method, status: String(status) });
      requestSeconds.observe({ route, method }, ms / 1000);
    },
    recordJobRun(name, outcome, ms, rows = 0) {
      jobRuns.inc({ job: name, outcome });
      if (outcome !== "skipped") jobSeconds.observe({ job: name }, ms / 1000);
      if (rows > 0) jobRows.inc({ job: name }, rows);
    },
    recordEmail(outcome, count = 1) {
      if (count > 0) emails.inc({ outcome }, count);
    },
    render() {
      const lines = [
        "# HELP roleferry_process_uptime_seconds Seconds since this process loaded its metrics.",
        "# TYPE roleferry_process_uptime_seconds gauge",
        `roleferry_process_uptime_seconds ${round((now() - started) / 1000)}`,
        ...requests.render(),
        ...requestSeconds.render(),
        ...jobRuns.render(),
        ...jobSeconds.render(),
        ...jobRows.render(),
        ...emails.render(),
      ];
      return lines.join("\n") + "\n";
    },
  };
}

/** Content type of {@link Metrics.render}'s output. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function fmtLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
