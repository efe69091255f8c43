import assert from "node:assert/strict";
import { isAutomated } from "./bot_filter.ts";

const headers = (init: Record<string, string>) => new Headers(init);

const PEOPLE = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
];

const MACHINES = [
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
  "WhatsApp/2.23.20.0",
  "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
  "python-requests/2.31.0",
  "curl/8.5.0",
  "Go-http-client/1.1",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/64.0 Safari/537.36 Edg/79.0.309.43 Microsoft Office/16.0",
];

Deno.test("isAutomated - people's browsers are counted", () => {
  for (const agent of PEOPLE) assert.equal(isAutomated(headers({ "user-agent": agent })), false, agent);
});

Deno.test("isAutomated - crawlers, unfurlers, scanners and libraries are not", () => {
  for (const agent of MACHINES) assert.equal(isAutomated(headers({ "user-agent": agent })), true, agent);
  assert.equal(isAutomated(headers({})), true);
});

Deno.test("isAutomated - a browser's speculative prefetch is not a view", () => {
  assert.equal(isAutomated(headers({ "user-agent": PEOPLE[1], "sec-purpose": "prefetch;prerender" })), true);
  assert.equal(isAutomated(headers({ "user-agent": PEOPLE[3], "x-moz": "prefetch" })), true);
});
