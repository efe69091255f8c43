/**
 * One client, one request at a time (issue 13's goals): p99 of `sort=match`, of a description search and of
 * page 50 of a common search (against page 1), through the app's own handler in this process; and the
 * recall of what `sort=match` answers against the full ranking (every open job scored by core/match.ts) for a
 * sample of users.
 *
 * First, the best-match tables of the users the requests run as are filled through the product's own
 * refresh (services/matching/candidates.ts), and its time per user is reported: it is the cost the table
 * moves off the request, paid after each profile change.
 */
import { createPool, type Sql, withUser } from "@/db/client.ts";
import { getMatchProfile, matchJobColumns, type MatchJobRow, toMatchJob } from "@/db/match_scores.ts";
import { refreshCandidates } from "@/services/matching/candidates.ts";
import { loadConfig, resolveSecret } from "@/fresh.config.ts";
import { createLogger } from "@/core/log.ts";
import { computeMatch } from "@/core/match.ts";
import { createWebApp } from "@/app/server.ts";
import { createAppContext } from "@/app/context.ts";
import { APP_ENV } from "./app_process.ts";
import { benchToken, type Counts } from "./generate.ts";
import { type Measurement, ratio } from "./report.ts";
import { startWireProxy } from "@/tests/helpers/pg_wire.ts";

/**
 * The searches of the 64-connection load (bench/search.ts): newest first (or best match, the default for
 * a user with a resume), a title word, words + remote, word + city + pay, pay + recency, one company.
 */
export function searchShapes(counts: Counts): { name: string; path: string }[] {
  const recent = new Date(Date.now() - 14 * 86400_000).toISOString().slice(0, 10);
  return [
    { name: "default order", path: "/api/jobs?limit=20" },
    { name: "q=engineer", path: "/api/jobs?q=engineer&limit=20" },
    { name: "q=senior data&remote", path: "/api/jobs?q=senior%20data&remote=true&limit=20" },
    { name: "q=backend Berlin 120k", path: "/api/jobs?q=backend&location=Berlin&comp_min=120000&limit=20" },
    { name: "recent and well paid", path: `/api/jobs?posted_after=${recent}&comp_min=150000&limit=20` },
    {
      name: "one company",
      path: `/api/jobs?company_id=${Math.max(1, Math.floor(counts.companies / 3))}&limit=20`,
    },
  ];
}

export interface SingleOptions {
  url: string;
  /** Time spent at most on one shape's timed requests (default 30 s). */
  shapeBudgetMs?: number;
  counts: Counts;
  /** Requests timed per kind. */
  runs: number;
  /** Users whose candidate recall is measured. */
  recallUsers: number;
  log: (line: string) => void;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];

/** Jobs compared for recall: the first page a user sees. */
export const RECALL_AT = 20;

export async function benchSearchSingle(o: SingleOptions): Promise<Measurement[]> {
  const config = loadConfig({ ...APP_ENV, DATABASE_URL: o.url, PORT: "0" });
  await resolveSecret(config);
  const pool = createPool(o.url, { max: 2 });
  // no request log lines in the benchmark's output
  const quiet = createLogger({ sink: () => {}, level: "error" });
  const fetch = await createWebApp(createAppContext(config, pool, { log: quiet }));
  const sessions = Math.min(64, o.counts.sessions);
  const get = async (path: string, k: number) => {
    const token = await benchToken(1 + (k % sessions));
    const res = await fetch(
      new Request(`http://bench${path}`, { headers: { authorization: `Bearer ${token}` } }),
    );
    const body = await res.json();
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return body as { next_cursor: string | null; items: unknown[] };
  };
  // `budgetMs`: stop early once this long has been spent (a shape taking a second a request).
  const time = async (make: (k: number) => string | Promise<string>, budgetMs = Infinity) => {
    const times: number[] = [];
    const began = performance.now();
    for (let k = 0; k < o.runs + 5 && performance.now() - began < budgetMs; k++) {
      const path = await make(k);
      const started = performance.now();
      await get(path, k);
      if (k >= 5) times.push(performance.now() - started); // five warm-up requests
    }
    return times.sort((a, b) => a - b);
  };
  try {
    // The users' best-match tables, as the refresh-match-scores job builds them after a profile change.
    const refresh: number[] = [];
    let scored = 0;
    for (let userId = 1; userId <= sessions; userId++) {
      const started = performance.now();
      scored += (await refreshCandidates(pool, userId)).scored;
      refresh.push(performance.now() - started);
    }
    refresh.sort((a, b) => a - b);
    o.log(
      `search: best-match tables of ${sessions} users rebuilt, p50 ${
        percentile(refresh, 0.5).toFixed(0)
      } ms, max ${refresh.at(-1)!.toFixed(0)} ms per user, ${Math.round(scored / sessions)} jobs scored each`,
    );
    // Page 50 (or the last page there is) of a common search, newest first; its cursor found once per user.
    const page50 = new Map<number, string>();
    let depth = 0;
    const deepPath = async (k: number) => {
      const user = k % sessions;
      if (!page50.has(user)) {
        let path = "/api/jobs?q=engineer&sort=date&limit=20";
        for (let p = 1; p < 50; p++) {
          const body = await get(path, k);
          if (!body.next_cursor) break;
          path = `/api/jobs?q=engineer&sort=date&limit=20&cursor=${body.next_cursor}`;
          depth = Math.max(depth, p + 1);
        }
        page50.set(user, path);
      }
      return page50.get(user)!;
    };
    const match = await time(() => "/api/jobs?sort=match&limit=20");
    const description = await time(() =>
      `/api/jobs?sort=date&limit=20&q=${encodeURIComponent('"small team"')}`
    );
    const first = await time(() => "/api/jobs?q=engineer&sort=date&limit=20");
    const deep = await time(deepPath);
    const recall = await candidateRecall(pool, Math.min(o.recallUsers, sessions), async (userId) => {
      const body = await get("/api/jobs?sort=match&limit=" + RECALL_AT, userId - 1);
      return (body.items as { id: number }[]).map((i) => i.id);
    });
    // Every shape of the 64-connection load, one client (issue 15: p99 < 10 ms each).
    const shapes = searchShapes(o.counts);
    const perShape: { name: string; path: string; times: number[] }[] = [];
    for (const shape of shapes) {
      perShape.push({ ...shape, times: await time(() => shape.path, o.shapeBudgetMs ?? 30_000) });
    }
    const wire = await wireCounts(o, config, shapes, sessions);
    const p99 = (t: number[]) => percentile(t, 0.99);
    for (const shape of perShape) {
      o.log(
        `search, one client: ${shape.name} p99 ${p99(shape.times).toFixed(1)} ms (${shape.times.length})`,
      );
    }
    o.log(
      `search, one client: match p99 ${p99(match).toFixed(1)} ms, description p99 ${
        p99(description).toFixed(1)
      } ms, ` +
        `page ${depth} p99 ${p99(deep).toFixed(1)} ms (page 1 ${
          p99(first).toFixed(1)
        } ms), recall@${RECALL_AT} ` +
        `${recall.mean.toFixed(3)} (min ${recall.min.toFixed(3)}, ${recall.users} users)`,
    );
    const ms = (name: string, t: number[], goal: number, note?: string): Measurement => ({
      section: "search",
      name,
      value: p99(t),
      unit: "ms",
      goal: `p99 < ${goal} ms (full scale, one client)`,
      met: p99(t) < goal,
      note: `p50 ${percentile(t, 0.5).toFixed(1)} ms, ${t.length} requests${note ? `; ${note}` : ""}`,
    });
    const worst = (key: "statements" | "roundTrips") => Math.max(...wire.map((w) => w[key]));
    const perShapeNote = (key: "statements" | "roundTrips") =>
      shapes.map((sh) => {
        const got = wire.filter((w) => w.name === sh.name).map((w) => w[key]);
        return `${sh.name} ${Math.min(...got)}-${Math.max(...got)}`;
      }).join(", ");
    return [
      {
        section: "search",
        name: "round trips to PostgreSQL per search request",
        value: worst("roundTrips"),
        unit: "round trips",
        goal: "<= 2",
        met: worst("roundTrips") <= 2,
        note: `most of ${wire.length} requests (the load's ${shapes.length} shapes x ${
          wire.length / shapes.length
        } users), counted on the wire after one warm-up; per shape ${perShapeNote("roundTrips")}`,
      },
      {
        section: "search",
        name: "statements per search request",
        value: worst("statements"),
        unit: "statements",
        note:
          `most of ${wire.length} requests; per shape ${
            perShapeNote("statements")
          } (before issue 15, main at ` +
          `ecb4518 under the same proxy: 8-10 statements, each its own round trip)`,
      },
      ...perShape.map((shape) =>
        ms(`GET /api/jobs ${shape.name} p99, one client`, shape.times, 10, shape.path)
      ),
      ms("GET /api/jobs?sort=match p99, one client", match, 100),
      ms('GET /api/jobs?q="small team" (description) p99, one client', description, 50),
      {
        section: "search",
        name: `GET /api/jobs?q=engineer page ${depth} p99, one client`,
        value: p99(deep),
        unit: "ms",
        baseline: { name: "page 1 p99", value: p99(first) },
        ratio: ratio(p99(first), p99(deep)),
        goal: "<= 1.5x page 1",
        met: p99(deep) <= 1.5 * p99(first),
        note: `p50 ${percentile(deep, 0.5).toFixed(1)} ms; page 1 p50 ${
          percentile(first, 0.5).toFixed(1)
        } ms`,
      },
      {
        section: "search",
        name: `sort=match: recall@${RECALL_AT} against the full ranking`,
        value: recall.mean,
        unit: "fraction",
        note: `mean over ${recall.users} users, lowest ${recall.min.toFixed(3)}`,
      },
      {
        section: "search",
        name: "best-match table rebuild per user (off the request)",
        value: percentile(refresh, 0.5),
        unit: "ms",
        note: `p50 of ${refresh.length} users, max ${refresh.at(-1)!.toFixed(0)} ms; ${
          Math.round(scored / sessions)
        } jobs scored per user`,
      },
    ];
  } finally {
    await pool.end({ timeout: 5 });
  }
}

/**
 * Statements and round trips of each shape for the load's users (two per shape, as bench/search.ts), counted
 * on the wire by a proxy between a one-connection pool and PostgreSQL (tests/helpers/pg_wire.ts), after the
 * same request once (the connection prepares its statements: postgres.js describes a statement first on its
 * first run, one round trip more, once per connection).
 */
async function wireCounts(
  o: SingleOptions,
  config: ReturnType<typeof loadConfig>,
  shapes: { name: string; path: string }[],
  sessions: number,
): Promise<{ name: string; statements: number; roundTrips: number }[]> {
  const proxy = startWireProxy(o.url);
  const pool = createPool(proxy.url, { max: 1 });
  const quiet = createLogger({ sink: () => {}, level: "error" });
  const fetch = await createWebApp(createAppContext(config, pool, { log: quiet }));
  const out: { name: string; statements: number; roundTrips: number }[] = [];
  try {
    for (const [i, shape] of shapes.entries()) {
      for (const k of [i, i + shapes.length]) {
        const token = await benchToken(1 + (k % sessions));
        const get = async () => {
          const res = await fetch(
            new Request(`http://bench${shape.path}`, { headers: { authorization: `Bearer ${token}` } }),
          );
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`GET ${shape.path} answered ${res.status}`);
        };
        await get();
        const before = proxy.counts();
        await get();
        const after = proxy.counts();
        out.push({
          name: shape.name,
          statements: after.statements - before.statements,
          roundTrips: after.roundTrips - before.roundTrips,
        });
      }
    }
  } finally {
    await pool.end({ timeout: 5 });
    await proxy.close();
  }
  return out;
}

/**
 * For users 1..n: the share of the full ranking's first `RECALL_AT` jobs (every open job they can see,
 * scored) that the first page of `sort=match` (`answer`) holds (a tie at the cut may count as a miss).
 */
async function candidateRecall(
  sql: Sql,
  n: number,
  answer: (userId: number) => Promise<number[]>,
): Promise<{ mean: number; min: number; users: number }> {
  const values: number[] = [];
  for (let userId = 1; userId <= n; userId++) {
    const top = await answer(userId);
    const { full } = await withUser(sql, userId, async (tx) => {
      const profile = await getMatchProfile(tx, userId);
      const open = () =>
        tx`(j.expires_at is null or j.expires_at > now()) and j.owner_user_id is null
           and j.company_id <> all(${profile.hidden_companies}::int[])`;
      const full: { id: number; score: number }[] = [];
      // The whole table in batches, scored here: the brute force the answer is judged against.
      let after = 0;
      for (;;) {
        const rows = await tx<(MatchJobRow & { id: number })[]>`
          select j.id, ${matchJobColumns(tx)} from jobs j join companies c on c.id = j.company_id
          where ${open()} and j.id > ${after}::int order by j.id limit 20000`;
        if (rows.length === 0) break;
        for (const r of rows) full.push({ id: r.id, score: computeMatch(toMatchJob(r), profile).score });
        after = rows.at(-1)!.id;
      }
      full.sort((a, b) => b.score - a.score || b.id - a.id);
      return { full: full.slice(0, RECALL_AT) };
    });
    const got = new Set(top);
    values.push(full.length === 0 ? 1 : full.filter((f) => got.has(f.id)).length / full.length);
  }
  return {
    mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
    min: Math.min(...values),
    users: values.length,
  };
}
