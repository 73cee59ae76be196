// Each lesson page runs its scenarios in Chromium and draws what the same run computes in Node; every chart stays readable and axe-clean.

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lessons } from "@course/lessons";
import { lastStep, labelledNotes } from "@course/viz";
import { ARTIFACTS, openSite, waitForContent, watchedPage, type Site, type WatchedPage } from "./browser.js";
import { expectedAcceptorRows, expectedArrows, expectedCrashed, expectedLogCells, hasLogs } from "./expect-charts.js";
import { axeViolations, lowContrastText, seek, stepOf, textProblems } from "./page-checks.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const pages = lessons.map((l) => l.number);

/** Result lines the way a program prints them, not a person: key=value pairs, Python lists and None. */
const DEBUG_STYLE = /\w=(true|false|none|\[|')|\bNone\b|\['/;

describe("lesson pages", () => {
  for (const n of pages) {
    const lesson = lessons.find((l) => l.number === n);
    if (!lesson || lesson.scenarios.length === 0) continue; // pages.test.ts checks the page's notice
    describe(`lesson ${n}`, () => {
      // One page per lesson: scenarios are switched with the page's own scenario picker, as a reader would.
      let watched: WatchedPage;
      beforeAll(async () => {
        watched = await watchedPage(site);
        await watched.page.goto(`${site.origin}/lessons/${n}`);
        await waitForContent(watched.page, ".sim-player .cluster-view");
      });
      afterAll(async () => {
        await watched?.page.close();
      });

      lesson.scenarios.forEach((scenario, index) => {
        it(`${scenario.id}: the charts draw the run, stay readable and accessible; labelled steps and "break it" work`, async () => {
          const { page, errors, offsite } = watched;
          const { sim } = scenario.run({ seed: scenario.defaultSeed });
          const trace = sim.trace;
          const nodes = sim.nodeIds;
          const end = lastStep(trace);
          const notes = labelledNotes(trace);
          if (index > 0) await page.locator("select[data-control=scenario]").selectOption(scenario.id);
          await page.waitForFunction(([k]) => document.querySelector("input[data-control=slider]")?.getAttribute("max") === String(k) && document.querySelector(".sim-player")?.getAttribute("data-step") === "0", [end]);
          // The browser ran the same scenario with the same seed: same length of run.
          expect(new URL(page.url()).searchParams.get("scenario")).toBe(index > 0 ? scenario.id : null);
          expect(await page.locator(".cluster-view g.node").count()).toBe(nodes.length);
          expect(await page.locator(".jumps button.jump").count()).toBe(notes.length);
          for (const step of [Math.floor(end / 2), end]) {
            await seek(page, step);
            expect(await page.locator(".cluster-view g.node[data-status=crashed]").count(), `crashed nodes at step ${step}`).toBe(expectedCrashed(trace, step, nodes));
            const st = page.locator("svg.space-time");
            const t0 = Number(await st.getAttribute("data-t0"));
            const t1 = Number(await st.getAttribute("data-t1"));
            expect(await st.locator("path.msg-arrow").count(), `arrows at step ${step}`).toBe(expectedArrows(trace, step, t0, t1));
            if (hasLogs(trace)) {
              const grid = page.locator("svg.log-grid");
              const first = Number(await grid.getAttribute("data-first-index"));
              const last = Number(await grid.getAttribute("data-last-index"));
              expect(await grid.locator("g.log-cell").count(), `log cells at step ${step}`).toBe(expectedLogCells(trace, step, nodes, first, last));
            }
            const rows = expectedAcceptorRows(trace, step);
            if (rows > 0) expect(await page.locator(".acceptor-table tr.acceptor").count(), `acceptor rows at step ${step}`).toBe(rows);
            // Readable: no chart text on top of another or outside its chart, every chart text at 4.5:1 or better.
            expect(await textProblems(page, ".sim-player"), `chart text at step ${step}`).toEqual([]);
            expect(await lowContrastText(page, ".sim-player"), `chart text contrast at step ${step}`).toEqual([]);
          }
          // Each message type has a colour of its own in the key.
          const swatches = await page.locator(".legend .swatch").evaluateAll((els) => els.map((e) => (e as HTMLElement).style.background));
          expect(new Set(swatches).size, "message types sharing a colour").toBe(swatches.length);
          // The result line is a sentence about this run, not a program's debug output.
          const result = await page.locator(".result-line").innerText();
          expect(result).toMatch(/^How this run ends: /);
          expect(result).not.toMatch(DEBUG_STYLE);
          expect(await axeViolations(page, ".sim-player"), "axe on the player at the end of the run").toEqual([]);
          await page.locator(".sim-player").screenshot({ path: join(ARTIFACTS, `lesson-${n}-${scenario.id}-end.png`) });
          // Every labelled step of the story is a point to jump to, and the link remembers it.
          for (const note of notes) {
            await page.locator(`.jumps button.jump[data-label="${note.label}"]`).click();
            expect(await stepOf(page), note.label).toBe(note.step);
            expect(new URL(page.url()).searchParams.get("step")).toBe(note.step === 0 ? null : String(note.step));
          }
          const broken = Object.keys(scenario.variants ?? {}).find((v) => scenario.run({ seed: scenario.defaultSeed, variant: v }).sim.violation !== undefined);
          if (broken !== undefined) {
            const violated = scenario.run({ seed: scenario.defaultSeed, variant: broken }).sim.trace.find((e) => e.kind === "violation");
            await page.locator("select[data-control=variant]").selectOption(broken);
            await page.locator(".violation-banner button[data-action=jump-violation]").click();
            expect(await stepOf(page)).toBe(violated?.step);
            expect(await page.locator(".violation-banner.reached").count()).toBe(1);
            expect(new URL(page.url()).searchParams.get("variant")).toBe(broken);
            expect(await axeViolations(page, ".sim-player"), "axe with a broken invariant on screen").toEqual([]);
            await page.locator("select[data-control=variant]").selectOption("");
          }
          if (index === 0) {
            // A reader's crash forks this lesson's run too; reset brings the scenario back.
            const at = Math.max(1, Math.floor(end / 3));
            await seek(page, at);
            const up = page.locator(".cluster-view g.node[data-status=up]").first();
            const id = await up.getAttribute("data-node");
            await up.click();
            await page.locator(".inspector button[data-action=node-crash]").click();
            expect(await page.locator(`.cluster-view g.node[data-node="${id}"]`).getAttribute("data-status")).toBe("crashed");
            expect(new URL(page.url()).searchParams.get("faults")).toBe(`${at}~crash~${id}`);
            expect(await page.locator(".result-line").innerText()).toMatch(/^How your changed run ends: /);
            await page.locator("button[data-action=forward]").click();
            expect(await stepOf(page)).toBe(at + 1);
            await page.locator("button[data-action=reset]").click();
            expect(new URL(page.url()).searchParams.get("faults")).toBeNull();
            expect(Number(await page.locator("input[data-control=slider]").getAttribute("max"))).toBe(end);
            expect(await page.locator(".fork-notice").isHidden()).toBe(true);
          }
          expect(errors).toEqual([]);
          expect(offsite).toEqual([]);
        });
      });
    });
  }
});
