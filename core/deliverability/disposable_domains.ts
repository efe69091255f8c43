/**
 * Disposable (throw-away) mail domains. Source: the community list
 * github.com/disposable-email-domains/disposable-email-domains, as published
 * on npm by `disposable-email-domains-js` (updated with the list; pinned in
 * deno.json). A subdomain of a listed domain counts too.
 */
import { disposableEmailBlocklistSet } from "disposable-email-domains-js";

// memo: the packaged list, built on first use (a constant of the installed package)
let listed: Set<string> | undefined;

/** Whether the ASCII (punycode) domain or one of its parent domains is on the list. */
export function isDisposableDomain(asciiDomain: string): boolean {
  listed ??= disposableEmailBlocklistSet();
  const labels = asciiDomain.toLowerCase().replace(/\.$/, "").split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    if (listed.has(labels.slice(i).join("."))) return true;
  }
  return false;
}
