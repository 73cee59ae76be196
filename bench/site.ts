// Site benchmark: gzipped JavaScript per page of docs/dist, time to the first chart on lesson 7, frame time while playing five-node Raft.
// Usage: npx tsx bench/site.ts   (or as the "site" section of npm run bench). Builds the site first if docs/dist is missing.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium, type Browser } from "playwright-core";
import { serveStatic } from "@course/docs/serve";
import { findLesson } from "@course/lessons";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, "../docs/dist");
const RUNS = 5;
const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

interface SectionResult {
  readonly title: string;
  readonly rows: ReadonlyArray<Record<string, string | number>>;
  readonly notes?: readonly string[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
};

function htmlPages(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith("_")) out.push(...htmlPages(p));
    else if (entry.name.endsWith(".html")) out.push(p);
  }
  return out.sort();
}

/** Every module a page loads: Framework lists its whole import graph as modulepreload links. */
export function pageScriptBytes(page: string): { files: number; raw: number; gzip: number } {
  const html = readFileSync(page, "utf-8");
  const files = new Set<string>();
  for (const m of html.matchAll(/<(?:link rel="modulepreload"|script type="module") (?:href|src)="([^"]+\.js)"/g)) files.add(resolve(dirname(page), m[1] as string));
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  // Inline module code (the page's own cells) counts too.
  for (const m of html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)) {
    raw += Buffer.byteLength(m[1] as string);
    gzip += gzipSync(m[1] as string).length;
  }
  return { files: files.size, raw, gzip };
}

async function timeToFirstChart(browser: Browser, url: string): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Record, inside the page, when the first cluster chart is attached (ms since navigation start).
  // Page code is passed as source text: this file is type-checked without the DOM library.
  await page.addInitScript(`new MutationObserver((_, obs) => {
    if (document.querySelector(".cluster-view")) {
      window.__firstChart = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });`);
  await page.goto(url);
  await page.waitForFunction("window.__firstChart !== undefined", undefined, { timeout: 30_000 });
  const ms = (await page.evaluate("window.__firstChart")) as number;
  await page.close();
  return ms;
}

async function frameTimes(browser: Browser, url: string, seconds: number): Promise<{ median: number; p95: number; steps: number; draw: number; drawP95: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.waitForSelector(".sim-player .cluster-view");
  await page.locator("select[data-control=speed]").selectOption("200");
  const startStep = Number(await page.locator(".sim-player").getAttribute("data-step"));
  await page.locator("button[data-action=play]").click();
  // Passed as source text: tsx would otherwise wrap named inner functions in a helper the page does not have.
  const { deltas, draw } = (await page.evaluate(`new Promise((done) => {
    const out = [];
    const draw = [];
    const player = document.querySelector(".sim-player");
    let last = performance.now();
    const t0 = last;
    function frame(now) {
      out.push(now - last);
      draw.push(Number(player.dataset.renderMs));
      last = now;
      if (now - t0 < ${seconds * 1000}) requestAnimationFrame(frame);
      else done({ deltas: out.slice(2), draw: draw.slice(2) });
    }
    requestAnimationFrame(frame);
  })`)) as { deltas: number[]; draw: number[] };
  const steps = Number(await page.locator(".sim-player").getAttribute("data-step")) - startStep;
  await page.close();
  return { median: median(deltas), p95: quantile(deltas, 0.95), steps, draw: median(draw), drawP95: quantile(draw, 0.95) };
}

export async function bench(): Promise<SectionResult> {
  if (!existsSync(join(dist, "index.html"))) {
    console.error("  site: building docs/dist first");
    execFileSync("npm", ["run", "build", "-w", "docs"], { stdio: ["ignore", "ignore", "inherit"], cwd: resolve(here, "..") });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`site bench needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  const rows: Array<Record<string, string | number>> = [];
  for (const page of htmlPages(dist)) {
    const { files, raw, gzip } = pageScriptBytes(page);
    rows.push({ measure: `JS for /${relative(dist, page).replace(/\.html$/, "")}`, value: `${(gzip / 1024).toFixed(1)} KB gzip`, detail: `${files} modules, ${(raw / 1024).toFixed(0)} KB raw` });
  }
  const server = await serveStatic(dist, 0);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const notes: string[] = [];
  try {
    const lesson7 = (findLesson(7)?.scenarios.length ?? 0) > 0;
    const sandboxRaft = "/sandbox?protocol=raft&nodes=5&rate=0&duration=4000";
    const chartUrl = lesson7 ? "/lessons/7" : sandboxRaft;
    if (!lesson7) notes.push("lesson 7 has no scenario yet: first-chart time measured on the sandbox's five-node Raft page instead");
    const firsts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      process.stderr.write(`  site: first chart, run ${i + 1}/${RUNS}\r`);
      firsts.push(await timeToFirstChart(browser, origin + chartUrl));
    }
    rows.push({ measure: `navigation to first chart (${chartUrl.split("?")[0]})`, value: `${median(firsts).toFixed(0)} ms (median of ${RUNS})`, detail: `${Math.min(...firsts).toFixed(0)}..${Math.max(...firsts).toFixed(0)} ms` });
    const medians: number[] = [];
    const p95s: number[] = [];
    const draws: number[] = [];
    const drawP95s: number[] = [];
    let steps = 0;
    for (let i = 0; i < 3; i++) {
      process.stderr.write(`  site: frame time, run ${i + 1}/3      \r`);
      const f = await frameTimes(browser, origin + sandboxRaft, 3);
      medians.push(f.median);
      p95s.push(f.p95);
      draws.push(f.draw);
      drawP95s.push(f.drawP95);
      steps += f.steps;
    }
    process.stderr.write("\n");
    const m = median(medians);
    rows.push({ measure: "frame time playing five-node Raft (200 ms/s)", value: `${m.toFixed(1)} ms median (${(1000 / m).toFixed(0)} fps)`, detail: `p95 ${median(p95s).toFixed(1)} ms; ${Math.round(steps / 3)} events per 3 s run; median of 3 runs` });
    rows.push({ measure: "drawing time per frame (all charts)", value: `${median(draws).toFixed(1)} ms median`, detail: `p95 ${median(drawP95s).toFixed(1)} ms` });
  } finally {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }
  notes.push("headless Chromium (Debian) with software rendering on this machine; frames are paced by requestAnimationFrame, so 16.7 ms is 60 fps");
  return { title: "Course site: script per page, first chart, frame time", rows, notes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const result = await bench();
  const cols = ["measure", "value", "detail"];
  const width = cols.map((c) => Math.max(c.length, ...result.rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i] as number)).join("  ");
  console.log(`\n${result.title}\n${line(cols)}\n${line(width.map((w) => "-".repeat(w)))}`);
  for (const r of result.rows) console.log(line(cols.map((c) => String(r[c]))));
  for (const n of result.notes ?? []) console.log(`  note: ${n}`);
  mkdirSync(join(here, "results"), { recursive: true });
  const file = join(here, "results", "site.json");
  writeFileSync(file, JSON.stringify({ ...result, node: process.version }, null, 2) + "\n");
  console.log(`  written to ${file}`);
}
