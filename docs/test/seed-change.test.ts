// A new seed on lesson 11's storm: every panel, the step count, the result line, the notes and the verdict describe the new run, as Node computes it.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLesson } from "@course/lessons";
import { labelledNotes, lastStep, Narration, outcomeText } from "@course/viz";
import { verdictOf } from "../src/components/kv-history.js";
import { openSite, waitForContent, watchedPage, type Site } from "./browser.js";
import { seek, stepOf } from "./page-checks.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const storm = findLesson(11)?.scenarios.find((s) => s.id === "storm");

describe("a seed change on the storm", () => {
  it("redraws everything for the new run: step count, result, notes, narration, history and its verdict", async () => {
    if (!storm) throw new Error("lesson 11 has no storm scenario");
    const { page, errors, offsite } = await watchedPage(site);
    await page.goto(`${site.origin}/lessons/11?scenario=storm`);
    await waitForContent(page, ".sim-player .cluster-view");
    // Two changes in a row: what the first new run drew must not survive into the second.
    for (const seed of [101, 102]) {
      const { sim } = storm.run({ seed });
      const trace = sim.trace;
      const end = lastStep(trace);
      await page.locator("input[data-control=seed]").fill(String(seed));
      await page.locator("input[data-control=seed]").dispatchEvent("change");
      await page.waitForFunction((k) => document.querySelector("input[data-control=slider]")?.getAttribute("max") === String(k), end);
      expect(new URL(page.url()).searchParams.get("seed")).toBe(String(seed));
      expect(await stepOf(page)).toBe(0);
      expect(await page.locator(".sim-player .position").innerText()).toMatch(new RegExp(`^step 0 / ${end} `));
      expect(await page.locator(".result-line").innerText()).toBe(`How this run ends: ${outcomeText(trace, sim.nodeIds)}`);
      // The labelled steps are this run's, with its own tally and verdict in their words.
      const notes = labelledNotes(trace);
      expect(await page.locator(".jumps button.jump").evaluateAll((bs) => bs.map((b) => [b.getAttribute("data-label"), b.getAttribute("title")]))).toEqual(notes.map((n) => [n.label, n.text]));
      // The clients' history under the charts is judged again, for this run.
      const { operations, result } = verdictOf(trace);
      const verdict = await page.locator(".history-box p.verdict").innerText();
      expect(verdict).toMatch(result.verdict === "ok" ? /^Linearizable: / : /^(Not linearizable|Undecided)/);
      if (result.verdict === "ok") expect(verdict).toContain(`all ${operations.length} operations`);
      expect(await page.locator(".history-box svg.history-chart").getAttribute("aria-label")).toContain(`of ${operations.length} operations`);
      // At the end of the run, the narration is this run's last lines, newest first.
      await seek(page, end);
      const lines = new Narration(trace, storm.describe?.bind(storm), new Map()).latest(end, 9).reverse();
      const shown = await page.locator(".narration li").allInnerTexts();
      expect(shown.length).toBe(lines.length);
      lines.forEach((l, i) => expect(shown[i]).toContain(l.text));
      expect(await page.locator(".cluster-view g.node").count()).toBe(sim.nodeIds.length);
    }
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await page.close();
  });
});
