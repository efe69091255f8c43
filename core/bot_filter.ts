/**
 * Whether a page request comes from a machine rather than a person: a
 * crawler, a link unfurler (Slack, LinkedIn, WhatsApp), a mail security
 * scanner, an HTTP library, or a browser's speculative prefetch. Such requests
 * still get the page; they are not counted as views or clicks.
 *
 * The list is of user-agent words that these clients document or are known
 * by; a request without a user agent is a machine too. Nothing here can catch
 * a scanner that pretends to be a browser: that is why counts are per visitor
 * per day, which bounds what one scanner can add.
 */
const BOT_AGENT =
  /bot\b|bot\/|crawl|spider|slurp|preview|unfurl|facebookexternalhit|embedly|whatsapp|telegram|skype|discord|bitlybot|headless|phantomjs|python-requests|python-urllib|aiohttp|go-http-client|okhttp|java\/|libwww|wget|curl\/|httpclient|node-fetch|undici|axios|postman|insomnia|proofpoint|mimecast|barracuda|safelinks|microsoft office|ms-office|outlook-ios|googleimageproxy|yahoo! slurp|apple-pubsub/i;

export function isAutomated(headers: Headers): boolean {
  const agent = headers.get("user-agent") ?? "";
  if (!agent.trim() || BOT_AGENT.test(agent)) return true;
  const purpose = `${headers.get("sec-purpose") ?? ""} ${headers.get("purpose") ?? ""} ${
    headers.get("x-purpose") ?? ""
  } ${headers.get("x-moz") ?? ""}`.toLowerCase();
  return purpose.includes("prefetch") || purpose.includes("preview");
}
