/** A live page as the owner's API shows it: its public URL instead of its token. */
import type { AppContext } from "@/services/app_context.ts";
import type { LivePage } from "@/db/live_pages.ts";

/** The page's public address, under the app's base URL (`APP_BASE_URL`). */
export function livePageUrl(app: AppContext, token: string): string {
  return `${app.config.appBaseUrl}/p/${token}`;
}

export function livePageView(app: AppContext, page: LivePage) {
  return {
    id: page.id,
    application_id: page.application_id,
    url: livePageUrl(app, page.token),
    enabled: page.enabled,
    headline: page.headline,
    pitch: page.pitch,
    links: page.links,
    show_match: page.show_match,
    views: page.views,
    link_clicks: page.link_clicks,
  };
}
