import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium; Playwright never downloads a browser here. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    (p): p is string => Boolean(p),
  );
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error("Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)");
  return found;
}

/**
 * Launches headless Chromium as root-safe and offline-safe. Each user of a test gets their own
 * browser.newContext(): two pages in one context would sync through BroadcastChannel and hide server bugs.
 * Playwright gives every launch a fresh temporary profile itself (it refuses a --user-data-dir argument).
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}
