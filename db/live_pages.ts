/**
 * Live pages: the owner's side runs as the user (RLS), the public side as the
 * owner pool, reading one page by its token and counting visits.
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { HttpError } from "@/core/http_error.ts";
import { randomToken } from "@/core/crypto.ts";
import type { CreateLivePageInput, UpdateLivePageInput } from "@/core/live_page_schemas.ts";

export interface LivePage {
  id: number;
  user_id: number;
  application_id: number;
  token: string;
  headline: string;
  pitch: string;
  links: { label: string; url: string }[];
  show_match: boolean;
  enabled: boolean;
  views: number;
  link_clicks: number;
}

/** A fragment, built per query on the pool or transaction that runs it. */
const columns = (q: Sql | Tx) =>
  q`id, user_id, application_id, token, headline, pitch, links, show_match, enabled, views, link_clicks`;

/** 404 for an application that is not the caller's. */
export async function createLivePage(
  sql: Sql,
  userId: number,
  input: CreateLivePageInput,
): Promise<LivePage> {
  return await withUser(sql, userId, async (tx) => {
    const [app] = await tx`select id from applications where id = ${input.application_id}::int`;
    if (!app) throw new HttpError(404, "application not found");
    const [page] = await tx<LivePage[]>`
      insert into live_pages (user_id, application_id, token, headline, pitch, links, show_match)
      values (${userId}::int, ${input.application_id}::int, ${randomToken(24)}, ${input.headline},
              ${input.pitch}, ${tx.json(input.links ?? [])}::jsonb, ${input.show_match ?? false}::boolean)
      returning ${columns(tx)}`;
    return page;
  });
}

export async function updateLivePage(
  sql: Sql,
  userId: number,
  id: number,
  input: UpdateLivePageInput,
): Promise<LivePage> {
  return await withUser(sql, userId, async (tx) => {
    const [page] = await tx<LivePage[]>`
      update live_pages set
        enabled = coalesce(${input.enabled ?? null}::boolean, enabled),
        headline = coalesce(${input.headline ?? null}::varchar, headline),
        pitch = coalesce(${input.pitch ?? null}::text, pitch),
        links = coalesce(${input.links ? tx.json(input.links) : null}::jsonb, links),
        show_match = coalesce(${input.show_match ?? null}::boolean, show_match),
        updated_at = now()
      where id = ${id}::int
      returning ${columns(tx)}`;
    if (!page) throw new HttpError(404, "live page not found");
    return page;
  });
}

export async function listLivePages(
  sql: Sql,
  userId: number,
  applicationId?: number,
): Promise<LivePage[]> {
  return await withUser(sql, userId, (tx) =>
    tx<LivePage[]>`
      select ${columns(tx)} from live_pages
      where ${applicationId ?? null}::int is null or application_id = ${applicationId ?? null}::int
      order by id`);
}

/** The enabled page of an application (for `{{live_page}}`), newest first; runs in the caller's transaction. */
export async function livePageOfApplication(
  tx: Tx,
  applicationId: number,
): Promise<{ id: number; token: string } | undefined> {
  const [page] = await tx<{ id: number; token: string }[]>`
    select id, token from live_pages where application_id = ${applicationId}::int and enabled
    order by id desc limit 1`;
  return page;
}

/** The page behind a public token, enabled or not (the caller answers 410 for a disabled one). */
export async function getPageByToken(sql: Sql, token: string): Promise<LivePage | undefined> {
  const [page] = await sql<LivePage[]>`select ${
    columns(sql)
  } from live_pages where token = ${token}::varchar`;
  return page;
}

/**
 * Counts a view (`what` = "view") or a click on link n (`what` = "link:n") once per visitor per day. Answers
 * whether it counted.
 */
export async function recordVisit(
  sql: Sql,
  pageId: number,
  visitor: string,
  what: string,
): Promise<boolean> {
  const [row] = await sql<{ counted: boolean }[]>`
    with seen as (
      insert into live_page_visits (page_id, day, visitor, what)
      values (${pageId}::int, (now() at time zone 'UTC')::date, ${visitor}, ${what})
      on conflict do nothing
      returning 1
    ), bump as (
      update live_pages set
        views = views + case when ${what} = 'view' then 1 else 0 end,
        link_clicks = link_clicks + case when ${what} = 'view' then 0 else 1 end
      where id = ${pageId}::int and exists (select 1 from seen)
      returning 1
    )
    select exists (select 1 from bump) as counted`;
  return row.counted;
}

/** The name a public page shows: its owner's full name ("" when not set). Owner pool, like the public side. */
export async function pageOwnerName(sql: Sql, page: Pick<LivePage, "user_id">): Promise<string> {
  const [owner] = await sql<{ full_name: string | null }[]>`
    select full_name from users where id = ${page.user_id}::int`;
  return owner?.full_name ?? "";
}
