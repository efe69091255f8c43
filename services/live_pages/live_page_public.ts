/**
 * The public side of live pages: what a visitor sees, and counting a view or a
 * link click once per visitor per day. Machines (core/bot_filter.ts) get the page
 * and are never counted. A visitor is an HMAC of the day, the connection's
 * address and the user agent under the server's secret: no address is stored,
 * and the same person cannot be followed from one day to the next.
 *
 * It answers data (`LivePageContent`); the route renders it (components/LivePageView.tsx).
 */
import { hmacSha256Hex } from "@/core/crypto.ts";
import { isAutomated } from "@/core/bot_filter.ts";
import { HttpError } from "@/core/http_error.ts";
import { getPageByToken, type LivePage, pageOwnerName, recordVisit } from "@/db/live_pages.ts";
import { getResume } from "@/db/resumes.ts";
import { getApplication } from "@/db/applications.ts";
import { getJobForUser } from "@/db/jobs.ts";
import type { Sql } from "@/db/client.ts";
import type { AppContext } from "@/services/app_context.ts";

/** What a visitor sees on a live page. */
export interface LivePageContent {
  token: string;
  name: string;
  headline: string;
  pitch: string;
  links: { label: string; url: string }[];
  roles: string[];
  metrics: string[];
  accomplishments: string[];
  job: null | { title: string; company: string; reasons: string[] };
}

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

/** The page for a token: 404 for none, 410 for one its owner disabled. */
export async function openPage(sql: Sql, token: string): Promise<LivePage> {
  const page = TOKEN.test(token) ? await getPageByToken(sql, token) : undefined;
  if (!page) throw new HttpError(404, "this page does not exist");
  if (!page.enabled) throw new HttpError(410, "this page is no longer available", { code: "gone" });
  return page;
}

export async function pageContent(sql: Sql, page: LivePage): Promise<LivePageContent> {
  const [resume, name, application] = await Promise.all([
    getResume(sql, page.user_id),
    pageOwnerName(sql, page),
    getApplication(sql, page.user_id, page.application_id),
  ]);
  let job: LivePageContent["job"] = null;
  if (page.show_match && application) {
    const detail = await getJobForUser(sql, page.user_id, application.job_id);
    if (detail) job = { title: detail.title, company: detail.company.name, reasons: detail.match.reasons };
  }
  return {
    token: page.token,
    name,
    headline: page.headline,
    pitch: page.pitch,
    links: page.links,
    roles: resume.roles.slice(0, 5),
    metrics: resume.key_metrics.slice(0, 5),
    accomplishments: resume.accomplishments.slice(0, 5),
    job,
  };
}

/** Counts `what` ("view" or "link:n") for a person; a machine is never counted. Answers whether it counted. */
export async function countVisit(
  app: AppContext,
  page: LivePage,
  req: Request,
  address: string,
  what: string,
): Promise<boolean> {
  if (isAutomated(req.headers)) return false;
  const day = app.clock.now().toISOString().slice(0, 10);
  const visitor = await hmacSha256Hex(
    app.config.secret ?? "",
    `${day}\n${address}\n${req.headers.get("user-agent") ?? ""}`,
  );
  return await recordVisit(app.sql, page.id, visitor, what);
}
