import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { JobSearchQuery } from "@/core/job_schemas.ts";
import { cursorSort, decodeSearchCursor, encodeSearchCursor } from "@/core/search_cursor.ts";
import { formatPayRange } from "@/core/match.ts";
import type { FieldErrors } from "@/core/page_forms.ts";
import { HttpError } from "@/core/http_error.ts";
import { issuesToFields } from "@/core/validate.ts";
import { assertStorableParams } from "@/core/text_guard.ts";
import type { AppState } from "@/web/state.ts";
import { searchJobs } from "@/db/jobs.ts";
import type { JobListItem } from "@/db/job_rows.ts";
import { getCompaniesByIds } from "@/db/companies.ts";
import { getPreferences } from "@/db/preferences.ts";
import type { Sql } from "@/db/client.ts";
import MatchBadge from "@/components/MatchBadge.tsx";
import FieldError from "@/components/FieldError.tsx";

interface Data {
  query: Record<string, string>;
  items: JobListItem[];
  nextHref: string | null;
  prevHref?: string | null;
  count?: { value: number; capped: boolean };
  sort?: "match" | "date";
  fuzzy?: boolean;
  errors?: FieldErrors;
  /** The company just hidden, to confirm it. */
  hidden?: string;
}

const FORM_FIELDS = ["q", "location", "remote", "comp_min", "posted_after", "sort"];
/** Page-only parameters, not search filters. */
const PAGE_ONLY = ["hidden"];

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const { app } = ctx.state;
    assertStorableParams(ctx.url.searchParams);
    // Empty inputs of the search form mean "no filter".
    const query = Object.fromEntries(
      [...ctx.url.searchParams].filter(([k, v]) => v !== "" && !PAGE_ONLY.includes(k)),
    );
    const hidden = await hiddenCompanyName(app.sql, user.id, ctx.url.searchParams.get("hidden"));
    const parsed = JobSearchQuery.safeParse(query);
    if (!parsed.success) {
      const data: Data = {
        query,
        items: [],
        nextHref: null,
        errors: issuesToFields(parsed.error.issues),
        hidden,
      };
      return ctx.render(data, { status: 422 });
    }
    const { cursor, ...filters } = parsed.data;
    let decoded;
    try {
      decoded = cursor ? decodeSearchCursor(cursor, filters.sort ?? cursorSort(cursor)) : undefined;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return ctx.render({ query, items: [], nextHref: null, errors: error.fields } satisfies Data, {
        status: 422,
      });
    }
    const search = {
      ...filters,
      sort: filters.sort ?? decoded?.sort,
      cursor: decoded,
      pool: ctx.state.matchPool ?? undefined,
    };
    // A replica when one is fresh enough (db/replicas.ts).
    const page = await ctx.state.app.replicas.readSql((db) => searchJobs(db, user.id, search));
    const href = (c: typeof page.next) => {
      if (!c) return null;
      const params = new URLSearchParams(query);
      params.set("sort", page.sort);
      params.set("cursor", encodeSearchCursor(c));
      return `/jobs?${params}`;
    };
    return ctx.render(
      {
        query,
        items: page.items,
        nextHref: href(page.next),
        prevHref: href(page.prev),
        count: page.count,
        sort: page.sort,
        fuzzy: page.fuzzy,
        hidden,
      } satisfies Data,
    );
  },
};

/**
 * `?hidden=<company id>` confirms a hide: the name shown is the company's own, and only for a company the
 * user has hidden, so the link cannot carry a sentence of someone else's choosing.
 */
async function hiddenCompanyName(
  sql: Sql,
  userId: number,
  param: string | null,
): Promise<string | undefined> {
  if (!param || !/^[1-9]\d{0,9}$/.test(param) || Number(param) > 2_147_483_647) return undefined;
  const id = Number(param);
  if (!(await getPreferences(sql, userId)).hidden_companies.includes(id)) return undefined;
  return (await getCompaniesByIds(sql, [id]))[0]?.name;
}

export default function JobsPage({ data, state }: PageProps<Data, AppState>) {
  const scores = state.user?.mode !== "recruiter"; // recruiters see no match score
  const q = data.query;
  const otherErrors = Object.entries(data.errors ?? {}).filter(([k]) => !FORM_FIELDS.includes(k));
  return (
    <>
      <h1>Jobs</h1>
      {data.hidden && (
        <p class="notice notice-ok" role="status">
          Jobs from {data.hidden} are hidden from now on. <a href="/settings#hidden">Undo in Settings</a>.
        </p>
      )}
      <form method="get" action="/jobs" class="panel search" role="search">
        <div>
          <label for="q">Search</label>
          <input
            id="q"
            name="q"
            type="search"
            value={q.q ?? ""}
            placeholder="title, company, skill: e.g. front end"
          />
          <FieldError errors={data.errors} name="q" />
        </div>
        <div>
          <label for="location">Location</label>
          <input id="location" name="location" type="text" value={q.location ?? ""} />
          <FieldError errors={data.errors} name="location" />
        </div>
        <div>
          <label for="remote">Remote</label>
          <select id="remote" name="remote">
            <option value="" selected={!q.remote}>Any</option>
            <option value="true" selected={q.remote === "true"}>Remote</option>
            <option value="false" selected={q.remote === "false"}>On-site</option>
          </select>
          <FieldError errors={data.errors} name="remote" />
        </div>
        <div>
          <label for="comp_min">Pays at least</label>
          <input id="comp_min" name="comp_min" type="text" inputMode="numeric" value={q.comp_min ?? ""} />
          <FieldError errors={data.errors} name="comp_min" />
        </div>
        <div>
          <label for="posted_after">Posted after</label>
          <input id="posted_after" name="posted_after" type="date" value={q.posted_after ?? ""} />
          <FieldError errors={data.errors} name="posted_after" />
        </div>
        <div>
          <label for="sort">Order</label>
          <select id="sort" name="sort">
            <option value="" selected={!q.sort}>Default</option>
            <option value="match" selected={q.sort === "match"}>Best match</option>
            <option value="date" selected={q.sort === "date"}>Newest</option>
          </select>
          <FieldError errors={data.errors} name="sort" />
        </div>
        <div>
          <button type="submit">Search</button>
        </div>
      </form>
      {otherErrors.length > 0 && (
        <p class="notice notice-error" role="alert">
          {otherErrors.map(([k, v]) => `${k}: ${v}`).join("; ")}
        </p>
      )}
      {data.errors
        ? null
        : data.items.length === 0
        ? <p class="panel">No open jobs match this search.</p>
        : (
          <>
            <p class="search-count" role="status">
              {data.count?.capped ? "1,000+" : (data.count?.value ?? 0).toLocaleString("en-US")}{" "}
              {data.count?.value === 1 && !data.count.capped ? "job" : "jobs"},{" "}
              {data.sort === "match" ? "best match first" : "newest first"}
              {data.fuzzy && " (no exact match: showing similar titles and companies)"}
            </p>
            <h2 class="sr-only">Search results</h2>
            <ul class="job-list" aria-label="Search results">
              {data.items.map((job) => (
                <li key={job.id} class="job-item">
                  <div>
                    <h3>
                      <a href={`/jobs/${job.id}`}>{job.title}</a>
                    </h3>
                    <div class="meta">
                      <span>{job.company.name}</span>
                      <span>{job.remote ? "Remote" : job.location ?? "Location not given"}</span>
                      {(job.comp_min !== null || job.comp_max !== null) && (
                        <span>{formatPayRange(job.comp_min, job.comp_max)}</span>
                      )}
                      {job.posted_date && (
                        <span>posted {new Date(job.posted_date).toISOString().slice(0, 10)}</span>
                      )}
                    </div>
                  </div>
                  {scores && <MatchBadge score={job.match.score} category={job.match.category} />}
                </li>
              ))}
            </ul>
          </>
        )}
      {!data.errors && (data.prevHref || data.nextHref) && (
        <p class="pager">
          {data.prevHref && <a href={data.prevHref} class="button button-secondary">← Previous page</a>}
          {data.nextHref && <a href={data.nextHref} class="button button-secondary">Next page →</a>}
        </p>
      )}
    </>
  );
}
