// Test harness: an installed Chrome or Chromium through playwright-core, the built site on a local port, and a watch on every request and console error.

import { existsSync, mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, posix, win32 } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { serveStatic } from "../serve.js";

/** Where Chrome, Chromium or Edge (all Chromium inside) usually live, most likely first. */
export function chromeCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === "win32") {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env["PROGRAMFILES(X86)"]].filter((r): r is string => r !== undefined && r !== "");
    return [
      ...roots.map((r) => win32.join(r, "Google", "Chrome", "Application", "chrome.exe")),
      ...roots.map((r) => win32.join(r, "Chromium", "Application", "chrome.exe")),
      ...roots.map((r) => win32.join(r, "Microsoft", "Edge", "Application", "msedge.exe")),
    ];
  }
  if (platform === "darwin") {
    const apps = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium", "Microsoft Edge.app/Contents/MacOS/Microsoft Edge"];
    return [...apps.map((a) => posix.join("/Applications", a)), ...(env.HOME ? apps.map((a) => posix.join(env.HOME as string, "Applications", a)) : [])];
  }
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/opt/google/chrome/chrome", "/usr/bin/microsoft-edge"];
}

/** What to install, in the words of each system. */
export function installAdvice(platform: NodeJS.Platform): string {
  if (platform === "win32") return "Install Google Chrome, or use Microsoft Edge (it comes with Windows), or set CHROME_PATH to a chrome.exe or msedge.exe.";
  if (platform === "darwin") return "Install Google Chrome (or `brew install --cask chromium`), or set CHROME_PATH to the browser's executable inside its .app.";
  return 'Install Chromium ("sudo apt-get install chromium" on Debian and Ubuntu, "sudo dnf install chromium" on Fedora) or Google Chrome, or set CHROME_PATH to its executable.';
}

/**
 * The browser the tests drive: CHROME_PATH when set (it must exist), else the first usual install location,
 * else a browser playwright downloaded itself (`npx playwright install chromium`). Nothing is downloaded here.
 */
export function findChrome(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string {
  const chosen = env.CHROME_PATH;
  if (chosen !== undefined && chosen !== "") {
    if (exists(chosen)) return chosen;
    throw new Error(`CHROME_PATH is ${chosen}, but there is no file there. ${installAdvice(platform)}`);
  }
  const found = chromeCandidates(platform, env).find(exists);
  if (found !== undefined) return found;
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled !== undefined && bundled !== "" && exists(bundled)) return bundled;
  throw new Error(`The browser tests need Chrome or Chromium and found neither (looked in: ${chromeCandidates(platform, env).join(", ")}). ${installAdvice(platform)}`);
}

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
  const executablePath = findChrome();
  if (!existsSync(join(DIST, "index.html"))) throw new Error("docs/dist is missing: build the site first (npm run build -w docs).");
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await serveStatic(DIST, 0);
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath,
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
