// Every page of the built site loads in Chromium with no console error, no request off localhost and no serious axe violation, at two widths.

import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lessons } from "@course/lessons";
import { discoverExercises } from "@course/lessons/grading/registry.ts";
import { ARTIFACTS, openSite, waitForContent, watchedPage, type Site } from "./browser.js";
import { axeViolations, lowContrastText, textProblems } from "./page-checks.js";

const PAGES: ReadonlyArray<[name: string, path: string, ready: string]> = [
  ["home", "/", ".lesson-list li"],
  // A lesson with a real-software run has no graded exercise; its page is ready once the recorded run is drawn.
  ...lessons.map((l) => [`lesson-${l.number}`, `/lessons/${l.number}`, l.live ? ".etcd-run" : ".exercises"] as [string, string, string]),
  ["sandbox", "/sandbox", ".sim-player .cluster-view"],
  ["trace-viewer", "/trace-viewer", ".trace-viewer .tool-form"],
];

const PHONE_SHOTS = new Set(["home", "lesson-3", "lesson-7", "lesson-10", "lesson-11", "sandbox", "trace-viewer"]);

const WIDTHS = [
  ["wide", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const;

const exercises = await discoverExercises();
let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

/** A lesson page shows its player (or says it has none yet), its exercises and the command that grades them. */
async function checkLessonPage(page: Page, n: number): Promise<void> {
  const lesson = lessons.find((l) => l.number === n);
  const mine = exercises.filter((e) => e.lesson === n);
  if (!lesson || lesson.scenarios.length === 0) {
    expect(await page.locator(".notice").count()).toBe(1);
    expect(await page.locator(".sim-player").count()).toBe(0);
  } else {
    await waitForContent(page, ".sim-player .cluster-view");
    if (lesson.scenarios.length > 1) expect(await page.locator("select[data-control=scenario] option").count()).toBe(lesson.scenarios.length);
  }
  if (lesson?.live) return; // no graded exercise: etcd-page.test.ts checks what the page shows instead
  expect(await page.locator(`code:text("npm run grade ${n}")`).count()).toBeGreaterThan(0);
  expect(await page.locator(".exercises section.exercise").count()).toBe(mine.length);
  expect(await page.locator(".exercises-pending").count()).toBe(mine.length === 0 ? 1 : 0);
}

describe("every page", () => {
  for (const [name, path, ready] of PAGES) {
    it(`${name} loads cleanly, passes axe at both widths, and is screenshotted`, async () => {
      for (const [label, viewport] of WIDTHS) {
        const { page, errors, offsite } = await watchedPage(site, viewport);
        await page.goto(`${site.origin}${path}`, { waitUntil: "load" });
        await waitForContent(page, ready);
        const lessonNumber = /^\/lessons\/(\d+)$/.exec(path)?.[1];
        if (lessonNumber !== undefined && label === "wide") await checkLessonPage(page, Number(lessonNumber));
        if (name === "home") {
          // The home page shows what the course looks like, and where to start.
          expect(await page.locator(".home-showcase svg.cluster-view").count()).toBe(1);
          expect(await page.locator(".home-showcase svg.space-time").count()).toBe(1);
          expect(await page.locator('.home-showcase .start-here a[href="./lessons/1.html"]').count()).toBe(1);
        }
        // Framework shows a failed cell as an element with class observablehq--error.
        expect(await page.locator(".observablehq--error").count(), "cells that threw").toBe(0);
        // Readers may zoom, and screen readers know the language.
        expect(await page.locator('meta[name="viewport"]').getAttribute("content")).not.toMatch(/maximum-scale|user-scalable/);
        expect(await page.locator("html").getAttribute("lang")).toBe("en");
        expect(await axeViolations(page), `axe on ${path} (${label})`).toEqual([]);
        // Charts outside the player (the home page's, lesson 10's) are held to the same rules as the player's.
        expect(await textProblems(page, "#observablehq-main"), `chart text on ${path} (${label})`).toEqual([]);
        expect(await lowContrastText(page, "#observablehq-main"), `chart text contrast on ${path} (${label})`).toEqual([]);
        if (label === "wide" || PHONE_SHOTS.has(name)) await page.screenshot({ path: join(ARTIFACTS, `${name}-${label}.png`), fullPage: true });
        expect(errors, `console errors on ${path}`).toEqual([]);
        expect(offsite, `requests off localhost from ${path}`).toEqual([]);
        await page.close();
      }
    });
  }
});
