// The "Search for a counterexample" control in a real browser: lesson 8's naive rule is caught and played, the correct rule is not, cancel stops the worker; the sandbox follows its protocol.

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSite, waitForContent, watchedPage, type Site, type WatchedPage } from "./browser.js";
import { axeViolations } from "./page-checks.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const control = ".explore-search";
const status = `${control} .search-status`;
const stateOf = (page: Page) => page.locator(status).getAttribute("data-state");
const textOf = async (page: Page) => (await page.locator(status).textContent()) ?? "";

/** Every text the status region shows from now on, recorded in the page (progress may pass between two polls). */
async function recordStatus(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(status)});
    window.__statusLog = [];
    new MutationObserver(() => window.__statusLog.push(el.dataset.state + ": " + el.textContent)).observe(el, { childList: true, characterData: true, subtree: true, attributes: true });
  })()`);
}
const statusLog = (page: Page) => page.evaluate("window.__statusLog") as Promise<string[]>;

async function waitForState(page: Page, state: string): Promise<void> {
  await page.waitForFunction(([sel, s]) => document.querySelector(sel as string)?.getAttribute("data-state") === s, [status, state], { timeout: 120_000 });
}

describe("search for a counterexample on lesson 8", () => {
  let watched: WatchedPage;
  beforeAll(async () => {
    watched = await watchedPage(site, { width: 1440, height: 900 });
    await watched.page.goto(`${site.origin}/lessons/8`);
    await waitForContent(watched.page, `${control} button[data-action=search-start]`);
  });
  afterAll(async () => {
    await watched?.page.close();
  });

  it("says the bound before anything runs, and is labelled and axe-clean", async () => {
    const { page } = watched;
    expect(await stateOf(page)).toBe("idle");
    expect(await page.locator(`${control} .search-bound`).textContent()).toMatch(/^Bound: starts where Figure 8's \(c\) begins, on three servers: S0 led term 1 .*paths of at most 40 steps.*2 timer firings/);
    expect(await page.locator(`${control} select[data-control=search-rule]`).inputValue()).toBe("0");
    expect(await page.locator(`${control} button[data-action=search-cancel]`).isDisabled()).toBe(true);
    expect(await axeViolations(page, control)).toEqual([]);
  });

  it("the naive commit rule: live progress, then the shortest counterexample, played in the player", async () => {
    const { page, errors, offsite } = watched;
    await recordStatus(page);
    // By keyboard: the button starts the search, and focus moves to Cancel while it runs.
    await page.locator(`${control} button[data-action=search-start]`).focus();
    await page.keyboard.press("Enter");
    expect(await page.locator(`${control} button[data-action=search-start]`).isDisabled()).toBe(true);
    expect(await page.locator(`${control} select[data-control=search-rule]`).isDisabled()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-action"))).toBe("search-cancel");
    await waitForState(page, "found");
    const log = await statusLog(page);
    expect(log.some((l) => /^running: Searching: [\d,]+ distinct states, depth \d+, [\d,]+ states\/s\.$/.test(l)), log.join("\n")).toBe(true);
    const text = await textOf(page);
    expect(text).toMatch(/^Counterexample found: Leader Completeness is broken\. node 1 leads term 4 without entry 1/);
    const length = /The shortest counterexample takes (\d+) steps after the scripted start; the trace has (\d+) steps, counting the (\d+) steps of the scripted start and (\d+) losses of messages that waited past the bound\./.exec(text);
    expect(length, text).not.toBeNull();
    const [searchSteps, traceSteps, startSteps, lost] = (length as RegExpExecArray).slice(1).map(Number) as [number, number, number, number];
    expect(searchSteps + startSteps + lost).toBe(traceSteps);
    // Finished: the controls are back, focus with them.
    expect(await page.locator(`${control} button[data-action=search-start]`).isDisabled()).toBe(false);
    expect(await page.locator(`${control} button[data-action=search-cancel]`).isDisabled()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-action"))).toBe("search-start");
    // The player shows the run and the violation it ends in.
    const player = page.locator(`${control} .sim-player`);
    await player.locator(".cluster-view g.node").first().waitFor();
    expect(await player.locator(".cluster-view g.node").count()).toBe(3);
    const banner = player.locator(".violation-banner");
    expect(await banner.textContent()).toMatch(/Leader Completeness: node 1 leads term 4 without entry 1/);
    await banner.locator("button[data-action=jump-violation]").click();
    await page.waitForFunction((sel) => document.querySelector(sel)?.classList.contains("reached") === true, `${control} .violation-banner`);
    // The player holds the whole trace the text counts, and the violation is its last step.
    expect(await player.locator("input[data-control=slider]").getAttribute("max")).toBe(String(traceSteps));
    expect(Number(await player.getAttribute("data-step"))).toBe(traceSteps);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
  });

  it("changing the rule clears the result; Raft's rule explores the whole bound and reports no violation", async () => {
    const { page, errors } = watched;
    await page.locator(`${control} select[data-control=search-rule]`).selectOption("1");
    expect(await stateOf(page)).toBe("idle");
    expect(await page.locator(`${control} .sim-player`).count()).toBe(0);
    await page.locator(`${control} button[data-action=search-start]`).click();
    await waitForState(page, "none");
    const text = await textOf(page);
    expect(text).toMatch(/^No violation within: 3 servers, paths of at most 40 steps, .*\. Every state within the bound was explored: [\d,]+ distinct states/);
    expect(await page.locator(`${control} .sim-player`).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("Cancel stops the worker and says so; nothing arrives after it", async () => {
    const { page, errors } = watched;
    await page.locator(`${control} select[data-control=search-rule]`).selectOption("0");
    await recordStatus(page);
    // Cancel as soon as the first progress report is shown: the observer runs before the worker's next message.
    await page.evaluate(`(() => {
      const el = document.querySelector(${JSON.stringify(status)});
      const obs = new MutationObserver(() => {
        if (el.dataset.state === "running" && /distinct states/.test(el.textContent)) {
          obs.disconnect();
          document.querySelector(".explore-search button[data-action=search-cancel]").click();
        }
      });
      obs.observe(el, { childList: true, characterData: true, subtree: true, attributes: true });
    })()`);
    await page.locator(`${control} button[data-action=search-start]`).click();
    await waitForState(page, "canceled");
    expect(await textOf(page)).toMatch(/^Search canceled after [\d,]+ distinct states \(depth \d+\): no verdict\./);
    expect(await page.locator(`${control} button[data-action=search-start]`).isDisabled()).toBe(false);
    expect(await page.locator(`${control} button[data-action=search-cancel]`).isDisabled()).toBe(true);
    // The naive search finds its counterexample within seconds when it runs: a terminated worker never reports it.
    await page.waitForTimeout(3000);
    expect(await stateOf(page)).toBe("canceled");
    expect(await page.locator(`${control} .sim-player`).count()).toBe(0);
    expect((await statusLog(page)).filter((l) => l.startsWith("found"))).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe("search for a counterexample in the sandbox", () => {
  it("offers the chosen protocol's rules, resets when the protocol changes, and finds a Paxos bug", async () => {
    const { page, errors, offsite } = await watchedPage(site, { width: 390, height: 844 });
    await page.goto(`${site.origin}/sandbox?protocol=raft&nodes=3&rate=0&duration=600`);
    await waitForContent(page, `${control} button[data-action=search-start]`);
    const rules = page.locator(`${control} select[data-control=search-rule] option`);
    expect(await rules.allTextContents()).toContain("naive-commit: a leader counts replicas of entries of any term (Figure 8)");
    await page.locator("select[data-control=protocol]").selectOption("paxos");
    expect(await rules.allTextContents()).toEqual([
      "Basic Paxos's rules (no bug)",
      "accept-below-promise: an acceptor accepts a proposal numbered below its promise",
      "learn-on-first-accepted: a learner takes the first accepted value as chosen",
    ]);
    expect(await stateOf(page)).toBe("idle");
    await page.locator(`${control} select[data-control=search-rule]`).selectOption("2");
    await page.locator(`${control} button[data-action=search-start]`).click();
    await waitForState(page, "found");
    expect(await textOf(page)).toMatch(/^Counterexample found: Paxos: learners learn the chosen value is broken\./);
    expect(await page.locator(`${control} .sim-player .violation-banner`).textContent()).toMatch(/Paxos: learners learn the chosen value/);
    // Switching protocol drops the result.
    await page.locator("select[data-control=protocol]").selectOption("multi-paxos");
    expect(await stateOf(page)).toBe("idle");
    expect(await page.locator(`${control} .sim-player`).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await page.close();
  });
});
