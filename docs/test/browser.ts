// Test harness: Debian's Chromium through playwright-core, the built site on a local port, and a watch on every request and console error.

import { existsSync, mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { serveStatic } from "../serve.js";

export const CHROMIUM = "/usr/bin/chromium";
export const DIST = fileURLToPath(new URL("../dist", import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL("./artifacts", import.meta.url));

/** The flags that keep Chromium quiet on a machine without a network (see STACK-NOTES). */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface Site {
  readonly browser: Browser;
  readonly server: Server;
  readonly origin: string;
  close(): Promise<void>;
}

export async function openSite(): Promise<Site> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: the browser tests cannot run. Install it with "apt-get update && apt-get install -y chromium" (.ci/run does this).`);
  }
  if (!existsSync(join(DIST, "index.html"))) throw new Error("docs/dist is missing: build the site first (npm run build -w docs).");
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await serveStatic(DIST, 0);
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // launch() gives every run a fresh temporary profile (the fresh --user-data-dir the notes ask for).
    args: CHROMIUM_ARGS,
  });
  return {
    browser,
    server,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/** A page that records console errors, uncaught exceptions and any request that leaves localhost. */
export interface WatchedPage {
  readonly page: Page;
  readonly errors: string[];
  readonly offsite: string[];
}

export async function watchedPage(site: Site, viewport = { width: 1280, height: 900 }): Promise<WatchedPage> {
  const page = await site.browser.newPage({ viewport });
  const errors: string[] = [];
  const offsite: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return;
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") offsite.push(r.url());
  });
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  return { page, errors, offsite };
}

/** Framework renders cells after load; wait until the page's main content has appeared. */
export async function waitForContent(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(selector, { timeout: 20_000 });
}
