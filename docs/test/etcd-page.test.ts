// Lesson 12's page draws the committed real runs as they are: lanes, faults, failover table, verdicts; readable on a phone and axe-clean.

import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offendingLines, outcomeCell, parseEtcdRun, type EtcdRun } from "@course/lessons";
import { memberSegments, placeLabels, staleReadContext } from "../src/components/etcd-run.js";
import { openSite, waitForContent, watchedPage, type Site } from "./browser.js";

const data = (name: string) => fileURLToPath(new URL(`../src/data/${name}`, import.meta.url));
const run = parseEtcdRun(readFileSync(data("etcd-run.json"), "utf8"));
const staleRun = parseEtcdRun(readFileSync(data("etcd-stale-read.json"), "utf8"));
const BENCH = fileURLToPath(new URL("../../bench/results/etcd.json", import.meta.url));
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

describe("the recorded runs the page draws", () => {
  it("are real runs of the lesson: etcd's version, the schedule's faults, a history, and the verdict each run is meant to reach", () => {
    for (const r of [run, staleRun]) {
      expect(r.etcdVersion).toMatch(/^3\.\d+\.\d+/);
      expect(r.history.length).toBeGreaterThan(50);
      expect(r.status.length).toBeGreaterThan(10);
      expect(r.faults.length).toBeGreaterThan(0);
    }
    expect(run.variant).toBeUndefined();
    // The page says etcd's first election is for term 2 (term 1 goes to creating the cluster).
    expect(run.status.find((s) => s.up && s.leader !== undefined)?.term).toBe(2);
    expect(run.verdict.verdict).toBe("ok");
    expect(run.faults.map((f) => f.kind).sort()).toEqual(["kill", "pause", "restart"]);
    expect(staleRun.variant).toBe("stale-read");
    expect(staleRun.verdict.verdict).toBe("illegal");
    expect(offendingLines(staleRun).length).toBeGreaterThan(0);
  });

  it("fault labels never touch, and stay inside the chart", () => {
    const measure = (t: string) => t.length * 7;
    const labels = placeLabels([{ x: 100, text: "SIGKILL m1" }, { x: 120, text: "SIGSTOP m2" }, { x: 125, text: "SIGTERM m3" }, { x: 190, text: "SIGKILL m3" }, { x: 380, text: "SIGKILL m2" }], 390, measure);
    expect(labels.map((l) => l.row)).toEqual([0, 1, 2, 0, 0]);
    const last = labels[4] as (typeof labels)[number];
    expect(last.x + measure(last.text)).toBeLessThanOrEqual(390);
    expect(labels[0]?.x).toBe(100);
  });
});

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

/** axe-core's serious and critical violations inside what this lesson adds to the site (the rest is checked site-wide). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return (await page.evaluate(`(async () => {
    const r = await window.axe.run({ include: [[".etcd-run"], [".failover-table"], [".etcd-verdict"], [".bench-table"]] }, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").flatMap((v) => v.nodes.slice(0, 3).map((n) => v.id + ": " + n.target.join(" ")));
  })()`)) as string[];
}

/** Texts of the page's charts that leave their SVG or overlap another text. */
async function chartTextProblems(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const out = [];
    for (const svg of document.querySelectorAll("svg.etcd-timeline, svg.history-chart")) {
      const box = svg.getBoundingClientRect();
      const rs = [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim()).map((t) => [t.textContent, t.getBoundingClientRect()]);
      for (const [text, r] of rs) if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.push(text + " is outside");
      for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) {
        const [a, ra] = rs[i], [b, rb] = rs[j];
        if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1) out.push(a + " overlaps " + b);
      }
    }
    return out;
  })()`)) as string[];
}

for (const [label, viewport] of [
  ["wide", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  describe(`lesson 12's page (${label})`, () => {
    it("draws each member's status stretches, the faults, both verdicts and the failover table from the files", { timeout: 60_000 }, async () => {
      const { page, errors, offsite } = await watchedPage(site, viewport);
      await page.goto(`${site.origin}/lessons/12`, { waitUntil: "load" });
      await waitForContent(page, ".etcd-run svg.etcd-timeline");
      await waitForContent(page, ".sim-player .cluster-view");
      const timeline = page.locator("svg.etcd-timeline");
      expect(await timeline.locator("g.segment").count()).toBe(memberSegments(run).length);
      expect(await timeline.locator("g.segment.silent").count()).toBe(memberSegments(run).filter((s) => s.state === "silent").length);
      expect(await timeline.locator("g.fault").count()).toBe(run.events.filter((e) => e.kind === "fault").length);
      expect(await timeline.getAttribute("aria-label")).toMatch(/faults; the table below lists the same/);
      const rows = page.locator(".failover-table tbody tr");
      expect(await rows.count()).toBe(run.schedule.steps.length);
      for (let i = 0; i < run.schedule.steps.length; i++) {
        const cells = await rows.nth(i).locator("td").allTextContents();
        expect(cells.slice(1)).toEqual([outcomeCell(run.faults.find((f) => f.step === i)), outcomeCell(run.simulated.find((f) => f.step === i))]);
      }
      const verdicts = page.locator(".etcd-verdict");
      expect(await verdicts.count()).toBe(2);
      expect(await verdicts.nth(0).locator(".verdict-line").textContent()).toBe(run.verdict.text);
      expect(await verdicts.nth(1).getAttribute("class")).toContain("illegal");
      expect((await verdicts.nth(1).locator("pre.offending").textContent())?.split("\n")).toEqual(offendingLines(staleRun));
      expect(await page.locator(`p:text("${staleReadContext(staleRun).slice(0, 40)}")`).count()).toBe(1);
      // The history charts: the first failover of the normal run, and the stale read with the checker's explanation.
      const charts = page.locator("svg.history-chart");
      expect(await charts.count()).toBe(2);
      expect(await charts.nth(0).locator("text.verdict").textContent()).toBe("Verdict: linearizable");
      expect(await charts.nth(0).locator("g.op").count()).toBeGreaterThan(0);
      expect(await charts.nth(1).locator("text.verdict").textContent()).toBe("Verdict: not linearizable");
      expect(await charts.nth(1).locator("g.op.unplaceable").count()).toBe(staleRun.verdict.unplaceable?.length);
      expect(await charts.nth(1).locator("g.op.prefix").count()).toBeGreaterThan(0);
      if (existsSync(BENCH)) {
        const bench = JSON.parse(readFileSync(BENCH, "utf8")) as { rows: unknown[] };
        expect(await page.locator(".bench-table tbody tr").count()).toBe(bench.rows.length);
      }
      // Readable at this width: nothing wider than the screen, no chart text outside its chart or on top of another.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      expect(await chartTextProblems(page)).toEqual([]);
      expect(await page.locator(".observablehq--error").count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      expect(offsite).toEqual([]);
      await page.close();
    });
  });
}

describe("lesson 12's page by keyboard", () => {
  it("the timeline's table is focusable (a native summary) and opens with Enter", { timeout: 60_000 }, async () => {
    const { page } = await watchedPage(site);
    await page.goto(`${site.origin}/lessons/12`, { waitUntil: "load" });
    await waitForContent(page, ".etcd-run svg.etcd-timeline");
    const summary = page.locator(".etcd-run details summary");
    await summary.focus();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SUMMARY");
    await page.keyboard.press("Enter");
    expect(await page.locator(".etcd-run details").getAttribute("open")).not.toBeNull();
    expect(await page.locator(".etcd-run details tbody tr").count()).toBe(memberSegments(run as EtcdRun).length);
    await page.close();
  });
});
