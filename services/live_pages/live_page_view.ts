/** A live page as the owner's API shows it: its public URL instead of its token. */
import { config } from "@/fresh.config.ts";
import type { LivePage } from "@/db/live_pages.ts";

export function livePageUrl(token: string): string {
  return `${config().appBaseUrl}/p/${token}`;
}

export function livePageView(page: LivePage) {
  return {
    id: page.id,
    application_id: page.application_id,
    url: livePageUrl(page.token),
    enabled: page.enabled,
    headline: page.headline,
    pitch: page.pitch,
    links: page.links,
    show_match: page.show_match,
    views: page.views,
    link_clicks: page.link_clicks,
  };
}
