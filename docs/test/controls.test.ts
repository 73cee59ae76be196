// The player's controls in a real browser: step, play, keyboard, a crash and a cut that fork the run, a shared link, the tools.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Simulation, serializeTrace, toTraceFile, type Message, type NodeFactory } from "@course/sim";
import { createRaftNode } from "@course/raft";
import { lessons } from "@course/lessons";
import { ARTIFACTS, openSite, waitForContent, watchedPage, type Site } from "./browser.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const player = (page: Page) => page.locator(".sim-player");
const stepOf = async (page: Page) => Number(await player(page).getAttribute("data-step"));
const timeOf = async (page: Page) => Number(await player(page).getAttribute("data-time"));

/** The sandbox runs real Raft without needing any lesson, so the controls are tested there. */
const SANDBOX = "/sandbox?protocol=raft&nodes=5&rate=0&duration=2000";

describe("player controls", () => {
  it("step forward, step back and the arrow keys move one event", async () => {
    const { page, errors } = await watchedPage(site);
    await page.goto(`${site.origin}${SANDBOX}`);
    await waitForContent(page, ".sim-player .cluster-view");
    expect(await stepOf(page)).toBe(0);
    await page.locator("button[data-action=forward]").click();
    await page.locator("button[data-action=forward]").click();
    expect(await stepOf(page)).toBe(2);
    await page.locator("button[data-action=back]").click();
    expect(await stepOf(page)).toBe(1);
    await page.locator("h1").click(); // focus the page, not a control
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await stepOf(page)).toBe(3);
    await page.keyboard.press("ArrowLeft");
    expect(await stepOf(page)).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("play advances virtual time and the simulation, pause stops it", async () => {
    const { page, errors } = await watchedPage(site);
    await page.goto(`${site.origin}${SANDBOX}`);
    await waitForContent(page, ".sim-player .cluster-view");
    await page.locator("select[data-control=speed]").selectOption("10");
    await page.locator("button[data-action=play]").click();
    await page.waitForFunction(() => Number(document.querySelector(".sim-player")?.getAttribute("data-step")) > 20, undefined, { timeout: 10_000 });
    await page.locator("button[data-action=play]").click();
    const step = await stepOf(page);
    const time = await timeOf(page);
    expect(step).toBeGreaterThan(20);
    expect(time).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(await stepOf(page)).toBe(step);
    // The cluster has elected a leader by then (or is in the middle of it): the view shows roles, not just circles.
    expect(await page.locator(".cluster-view g.node[data-role]:not([data-role=''])").count()).toBe(5);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a click on a node crashes it, forks the run, and the link reproduces it", async () => {
    const { page, errors } = await watchedPage(site);
    await page.goto(`${site.origin}${SANDBOX}&step=150`);
    await waitForContent(page, ".sim-player .cluster-view");
    expect(await stepOf(page)).toBe(150);
    const node = page.locator(".cluster-view g.node[data-node='2']");
    expect(await node.getAttribute("data-status")).toBe("up");
    const before = await page.locator(".timeline-band .segment.down").count();
    await node.click();
    await page.locator(".inspector button[data-action=node-crash]").click();
    expect(await page.locator(".cluster-view g.node[data-node='2']").getAttribute("data-status")).toBe("crashed");
    expect(await page.locator(".cluster-view g.node[data-node='2'] .crash-mark").count()).toBe(1);
    expect(await page.locator(".timeline-band .segment.down").count()).toBe(before + 1);
    const url = page.url();
    expect(new URL(url).searchParams.get("faults")).toBe("150~crash~2");
    await page.screenshot({ path: join(ARTIFACTS, "sandbox-after-crash.png"), fullPage: true });
    // The panel now offers a restart.
    await page.locator(".inspector button[data-action=node-restart]").click();
    expect(await page.locator(".cluster-view g.node[data-node='2']").getAttribute("data-status")).toBe("up");
    // The shared link alone rebuilds the crash.
    const other = await watchedPage(site);
    await other.page.goto(url);
    await waitForContent(other.page, ".sim-player .cluster-view");
    expect(await other.page.locator(".cluster-view g.node[data-node='2']").getAttribute("data-status")).toBe("crashed");
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
    await other.page.close();
    await page.close();
  });

  it("a click on a link cuts it and a second click heals it", async () => {
    const { page, errors } = await watchedPage(site);
    await page.goto(`${site.origin}${SANDBOX}&step=100`);
    await waitForContent(page, ".sim-player .cluster-view");
    await page.locator(".cluster-view g.link[data-link='1-3'] line.link-hit").click({ force: true });
    expect(await page.locator(".cluster-view g.link.cut").count()).toBe(1);
    expect(await page.locator(".cluster-view g.link.cut").getAttribute("data-link")).toBe("1-3");
    await page.locator(".cluster-view g.link[data-link='1-3'] line.link-hit").click({ force: true });
    expect(await page.locator(".cluster-view g.link.cut").count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("tools", () => {
  it("the sandbox rebuilds the cluster with the chosen number of nodes", async () => {
    const { page, errors } = await watchedPage(site);
    await page.goto(`${site.origin}/sandbox`);
    await waitForContent(page, ".sim-player .cluster-view");
    expect(await page.locator(".cluster-view g.node").count()).toBe(5);
    expect(await page.locator(".sim-player .player-summary").innerText()).toContain("about one fault per second");
    await page.locator("input[data-control=nodes]").fill("7");
    await page.locator("button[data-action=run-sandbox]").click();
    await page.waitForFunction(() => document.querySelectorAll(".cluster-view g.node").length === 7);
    await page.locator("select[data-control=protocol]").selectOption("paxos");
    await page.locator("button[data-action=run-sandbox]").click();
    await page.waitForSelector(".acceptor-table");
    await page.locator("input[data-control=slider]").evaluate((el) => {
      const input = el as HTMLInputElement;
      input.value = input.max;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(await page.locator(".acceptor-table tr.acceptor").count()).toBe(7);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the trace viewer opens a trace file written in Node", async () => {
    const sim = new Simulation<Message>({ seed: 3, nodes: [1, 2, 3], createNode: createRaftNode() as unknown as NodeFactory<Message>, faults: [{ at: 400, action: { type: "crash", node: 1 } }] });
    sim.runUntilTime(800);
    const file = join(ARTIFACTS, "example-trace.json");
    writeFileSync(file, serializeTrace(toTraceFile(sim, "sandbox/raft-3")));
    const { page, errors } = await watchedPage(site);
    await page.goto(`${site.origin}/trace-viewer`);
    await waitForContent(page, ".trace-viewer .tool-form");
    await page.locator("input[data-control=trace-file]").setInputFiles(file);
    await waitForContent(page, ".sim-player .cluster-view");
    expect(await page.locator(".cluster-view g.node").count()).toBe(3);
    // A recorded run has no seed to change: no seed control and no orphan "seed" label; no event count beside the step count.
    expect(await page.locator(".sim-player .seed-group").isHidden()).toBe(true);
    expect(await page.locator(".sim-player .player-summary").innerText()).not.toMatch(/events/);
    const last = sim.trace[sim.trace.length - 1];
    expect(Number(await page.locator("input[data-control=slider]").getAttribute("max"))).toBe(last?.step);
    await page.locator("input[data-control=slider]").evaluate((el) => {
      const input = el as HTMLInputElement;
      input.value = input.max;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(await page.locator(".cluster-view g.node[data-status=crashed]").count()).toBe(1);
    // The example trace is a lesson run written and read back through the trace format, with a link to run it live.
    const first = lessons.find((l) => l.scenarios.length > 0);
    if (first) {
      const scenario = first.scenarios[0] as (typeof first.scenarios)[number];
      await page.locator("button[data-action=example-trace]").click();
      await page.waitForFunction((n) => document.querySelectorAll(".cluster-view g.node").length === n, scenario.run({ seed: scenario.defaultSeed }).sim.nodeIds.length);
      expect(await page.locator(`.trace-status a[href*="lessons/${first.number}.html?scenario=${scenario.id}"]`).count()).toBe(1);
      // Titled by the lesson and the scenario's own title, not by its internal id.
      expect(await page.locator(".sim-player .player-title").innerText()).toBe(`Lesson ${first.number}: ${scenario.title} (seed ${scenario.defaultSeed})`);
    }
    // A broken file gets a readable message, not a blank page.
    const bad = join(ARTIFACTS, "not-a-trace.json");
    writeFileSync(bad, "{\"hello\": 1}");
    await page.locator("input[data-control=trace-file]").setInputFiles(bad);
    await page.waitForSelector(".trace-status.tool-error");
    expect(await page.locator(".trace-status").innerText()).toContain("not a trace file");
    expect(errors).toEqual([]);
    await page.close();
  });
});
