/**
 * Debian's headless Chromium driven by playwright-core, with the flags this
 * closed network needs (no background networking, no component updates).
 * Browser tests use `ignore: !hasChromium()` so that a machine without it skips them.
 */
import { type Browser, chromium } from "playwright-core";
import { hasTool } from "@/scripts/system_tools.ts";

export const CHROMIUM = "/usr/bin/chromium";

export function hasChromium(): boolean {
  return hasTool(CHROMIUM);
}

/** A fresh headless browser; close it in a `finally`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
