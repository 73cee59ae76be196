// The inspector in a real browser: server and message panels, every action they offer, the fork they make (checked against the same fork in Node), keyboard, phone.

import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message, Simulation, TraceEvent } from "@course/sim";
import { findLesson } from "@course/lessons";
import { forkWith, labelledNotes, lastStep, type ReaderFault } from "@course/viz";
import { readSettings, sandboxScenario } from "../src/components/sandbox.js";
import { ARTIFACTS, openSite, waitForContent, watchedPage, type Site } from "./browser.js";
import { axeViolations, seek, stepOf } from "./page-checks.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const SANDBOX = "/sandbox?protocol=raft&nodes=5&rate=0&duration=2000";
const panel = (page: Page) => page.locator(".inspector");
const faultsIn = (page: Page) => new URL(page.url()).searchParams.get("faults");

/** The sandbox's own run in Node, with the same settings the page reads from its URL. */
function sandboxRun(): Simulation<Message> {
  const settings = readSettings(new URL(SANDBOX, "http://x").search);
  return sandboxScenario(settings).run({ seed: settings.seed }).sim;
}

/** A step at which some follower has a pending election timer and some network message is in flight. */
function busyStep(sim: Simulation<Message>): number {
  const trace = sim.trace;
  const end = lastStep(trace);
  for (let k = Math.floor(end / 3); k < end; k++) {
    const sends = trace.filter((e) => e.step <= k && e.kind === "send" && e.from !== e.to).map((e) => (e.kind === "send" ? e.msgId : -1));
    const done = new Set(trace.filter((e) => e.step <= k && (e.kind === "deliver" || e.kind === "drop")).map((e) => (e.kind === "deliver" || e.kind === "drop" ? e.msgId : -1)));
    if (sends.some((id) => !done.has(id))) return k;
  }
  return Math.floor(end / 2);
}

describe("server panel", () => {
  it("shows a server's state and timers, and crash, restart, pause, resume, time out and a client request all fork the run", async () => {
    const { page, errors } = await watchedPage(site);
    const sim = sandboxRun();
    const at = busyStep(sim);
    await page.goto(`${site.origin}${SANDBOX}&step=${at}`);
    await waitForContent(page, ".sim-player .cluster-view");
    const follower = page.locator(".cluster-view g.node[data-role=follower]").first();
    const id = Number(await follower.getAttribute("data-node"));
    await follower.click();
    expect(await panel(page).getAttribute("data-panel")).toBe("node");
    expect(await panel(page).locator("h4").innerText()).toContain(`S${id} · follower · term`);
    expect(await panel(page).locator("dl.fields").innerText()).toContain("current term");
    expect(await panel(page).locator("ul.timers").innerText()).toMatch(/election timer fires at/);
    await panel(page).screenshot({ path: join(ARTIFACTS, "panel-server.png") });
    // The panel follows the step, and keeps what the reader is typing.
    await panel(page).locator("input[data-control=request-op]").fill("q=9");
    await page.locator("button[data-action=forward]").click();
    expect(await stepOf(page)).toBe(at + 1);
    expect(await panel(page).locator("input[data-control=request-op]").inputValue()).toBe("q=9");
    await page.locator("button[data-action=back]").click();
    expect(await stepOf(page)).toBe(at);
    expect(await axeViolations(page, ".sim-player"), "axe with the server panel open").toEqual([]);

    // Time out now: the follower runs its election timeout at once and becomes a candidate.
    await panel(page).locator("button[data-action=node-timeout]").click();
    expect(faultsIn(page)).toBe(`${at}~timeout~${id}~election`);
    expect(await page.locator(`.cluster-view g.node[data-node="${id}"]`).getAttribute("data-role")).toBe("candidate");
    expect(await page.locator(".narration li.reader").first().innerText()).toContain(`You fired S${id}'s election timer`);
    // The same fork in Node: the browser's run has exactly its length.
    const timedOut = forkWith(sim, [{ afterStep: at, action: { type: "timeout", node: id, timer: "election" } }], 1500).sim;
    expect(Number(await page.locator("input[data-control=slider]").getAttribute("max"))).toBe(lastStep(timedOut.trace));

    // Pause and resume.
    await panel(page).locator("button[data-action=node-pause]").click();
    expect(await page.locator(`.cluster-view g.node[data-node="${id}"]`).getAttribute("data-status")).toBe("paused");
    await panel(page).locator("button[data-action=node-resume]").click();
    expect(await page.locator(`.cluster-view g.node[data-node="${id}"]`).getAttribute("data-status")).toBe("up");
    expect(faultsIn(page)).toBe(`${at}~timeout~${id}~election,${at}~pause~${id},${at}~resume~${id}`);

    // A client request of the reader's own, to the leader: it ends up committed in the log.
    await seek(page, Number(await page.locator("input[data-control=slider]").getAttribute("max")));
    const leader = page.locator(".cluster-view g.node[data-role=leader]").first();
    const leaderId = Number(await leader.getAttribute("data-node"));
    const end = await stepOf(page);
    await leader.click();
    await panel(page).locator("input[data-control=request-op]").fill("y=7");
    await panel(page).locator("button[data-action=node-request]").click();
    expect(faultsIn(page)).toContain(`${end}~request~${leaderId}~y%3D7`);
    expect(await page.locator(".narration li.reader").first().innerText()).toContain(`You sent S${leaderId} the client request y=7`);
    await seek(page, Number(await page.locator("input[data-control=slider]").getAttribute("max")));
    expect(await page.locator(".log-grid g.log-cell.committed title", { hasText: "y=7" }).count()).toBeGreaterThan(0);

    // Crash and restart.
    await page.locator(`.cluster-view g.node[data-node="${leaderId}"]`).click();
    await panel(page).locator("button[data-action=node-crash]").click();
    expect(await page.locator(`.cluster-view g.node[data-node="${leaderId}"]`).getAttribute("data-status")).toBe("crashed");
    expect(await panel(page).locator("p.status").innerText()).toContain("Crashed");
    await panel(page).locator("button[data-action=node-restart]").click();
    expect(await page.locator(`.cluster-view g.node[data-node="${leaderId}"]`).getAttribute("data-status")).toBe("up");
    await page.locator(".fork-notice").screenshot({ path: join(ARTIFACTS, "fork-notice.png") });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("is reached and worked by keyboard: Tab to a server, Enter opens it, Space plays whatever has focus, Esc closes", async () => {
    const { page, errors } = await watchedPage(site);
    await page.goto(`${site.origin}${SANDBOX}&step=40`);
    await waitForContent(page, ".sim-player .cluster-view");
    expect(await page.locator(".cluster-view g.node[tabindex='0'][role=button]").count()).toBe(5);
    expect(await page.locator(".cluster-view g.link[tabindex='0'][role=button]").count()).toBe(10);
    await page.locator("button[data-action=forward]").focus();
    // Tab moves on from the controls and reaches the servers.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.matches(".cluster-view g.node") ?? false);
    }
    expect(reached).toBe(true);
    const id = await page.evaluate(() => document.activeElement?.getAttribute("data-node"));
    await page.keyboard.press("Enter");
    expect(await panel(page).getAttribute("data-target")).toBe(id);
    expect(await page.evaluate(() => document.activeElement?.closest(".inspector") !== null)).toBe(true);
    await page.keyboard.press("Escape");
    expect(await panel(page).isHidden()).toBe(true);
    // Space plays from a server, from a button, from the page.
    await page.locator(".cluster-view g.node[data-node='1']").focus();
    await page.keyboard.press(" ");
    expect(await page.locator(".sim-player").getAttribute("data-playing")).toBe("true");
    await page.keyboard.press(" ");
    expect(await page.locator(".sim-player").getAttribute("data-playing")).toBe("false");
    const before = await stepOf(page);
    await page.locator("button[data-action=forward]").focus();
    await page.keyboard.press(" ");
    expect(await page.locator(".sim-player").getAttribute("data-playing")).toBe("true");
    await page.keyboard.press(" ");
    expect(await page.locator(".sim-player").getAttribute("data-playing")).toBe("false");
    expect(await stepOf(page)).toBeGreaterThanOrEqual(before);
    // Enter on a link cuts it.
    await page.locator(".cluster-view g.link[data-link='1-2']").focus();
    await page.keyboard.press("Enter");
    expect(await page.locator(".cluster-view g.link[data-link='1-2']").getAttribute("class")).toContain("cut");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("message panel", () => {
  it("opens from a dot in flight and from an arrow; drop and duplicate fork the run exactly as in Node", async () => {
    const { page, errors } = await watchedPage(site);
    const sim = sandboxRun();
    const at = busyStep(sim);
    await page.goto(`${site.origin}${SANDBOX}&step=${at}`);
    await waitForContent(page, ".sim-player .cluster-view");
    const dot = page.locator(".cluster-view g.msg").first();
    const msgId = Number(await dot.getAttribute("data-msg"));
    await dot.click({ force: true });
    expect(await panel(page).getAttribute("data-panel")).toBe("message");
    const send = sim.trace.find((e) => e.kind === "send" && e.msgId === msgId) as Extract<TraceEvent, { kind: "send" }>;
    expect(await panel(page).locator("h4").innerText()).toBe(`${send.msg.type} S${send.from} → S${send.to}`);
    expect(await panel(page).locator("p.status").innerText()).toMatch(/^In flight: sent at/);
    expect(await panel(page).locator("dl.fields").innerText()).toContain("term");
    await panel(page).screenshot({ path: join(ARTIFACTS, "panel-message.png") });
    expect(await axeViolations(page, ".sim-player"), "axe with the message panel open").toEqual([]);

    // Drop it: the same fork in Node loses exactly that message, because the link was cut for that one step.
    await panel(page).locator("button[data-action=msg-drop]").click();
    const dropFault = (await faultsIn(page)) as string;
    expect(dropFault).toMatch(new RegExp(`^\\d+~drop~${msgId}$`));
    const dropped = forkWith(sim, [{ afterStep: Number(dropFault.split("~")[0]), action: { type: "drop", msgId } } satisfies ReaderFault], 1500).sim;
    const lost = dropped.trace.find((e) => e.kind === "drop" && e.msgId === msgId);
    expect(lost?.kind === "drop" && lost.reason).toBe("partition");
    expect(Number(await page.locator("input[data-control=slider]").getAttribute("max"))).toBe(lastStep(dropped.trace));
    await seek(page, lost?.step ?? 0);
    expect(await panel(page).locator("p.status").innerText()).toMatch(/^Lost at .*the link was cut/);

    // Reset, then duplicate it.
    await page.locator("button[data-action=reset]").click();
    await seek(page, at);
    await page.locator(`.cluster-view g.msg[data-msg="${msgId}"]`).click({ force: true });
    await panel(page).locator("button[data-action=msg-duplicate]").click();
    const dupFault = (await faultsIn(page)) as string;
    expect(dupFault).toMatch(new RegExp(`^\\d+~duplicate~${msgId}$`));
    const copied = forkWith(sim, [{ afterStep: Number(dupFault.split("~")[0]), action: { type: "duplicate", msgId } }], 1500).sim;
    expect(copied.trace.some((e) => e.kind === "duplicate" && e.msgId === msgId)).toBe(true);
    expect(Number(await page.locator("input[data-control=slider]").getAttribute("max"))).toBe(lastStep(copied.trace));
    expect(await page.locator(".fork-notice").innerText()).toContain("You duplicated");

    // An arrow in the space-time diagram opens the same kind of panel.
    await page.locator(".space-time g.arrow path.hover-hit").last().click({ force: true });
    expect(await panel(page).getAttribute("data-panel")).toBe("message");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("a fork is honest", () => {
  it("lesson 7: the labels, the result and the notice follow the forked run; the checkers stay on", async () => {
    const { page, errors } = await watchedPage(site);
    const scenario = findLesson(7)?.scenarios[0];
    if (!scenario) throw new Error("lesson 7 has no scenario");
    const trace = scenario.run({ seed: scenario.defaultSeed }).sim.trace;
    const notes = labelledNotes(trace);
    const at = (notes.find((n) => n.label === "step-3") ?? notes[2])?.step as number;
    await page.goto(`${site.origin}/lessons/7?step=${at}`);
    await waitForContent(page, ".sim-player .cluster-view");
    expect(await page.locator(".jumps button.jump").count()).toBe(notes.length);
    const follower = page.locator(".cluster-view g.node[data-role=follower]").first();
    await follower.click();
    await panel(page).locator("button[data-action=node-crash]").click();
    // Only the labelled points before the fork remain: the rest of the script is not part of this run.
    const kept = notes.filter((n) => n.step <= at).map((n) => n.label);
    expect(await page.locator(".jumps button.jump").evaluateAll((bs) => bs.map((b) => b.getAttribute("data-label")))).toEqual(kept);
    const notice = await page.locator(".fork-notice").innerText();
    expect(notice).toContain(`the run forks after step ${at}`);
    expect(notice).toContain(`The scenario's script stops at step ${at}`);
    for (const gone of notes.filter((n) => n.step > at).slice(0, 4)) expect(notice).toContain(gone.label);
    expect(notice).toContain("invariant checkers watch every step of the new run");
    expect(await page.locator(".result-line").innerText()).toMatch(/^How your changed run ends: /);
    await page.locator(".sim-player").screenshot({ path: join(ARTIFACTS, "lesson-7-forked.png") });
    await page.locator("button[data-action=back-to-scenario]").click();
    expect(await page.locator(".jumps button.jump").count()).toBe(notes.length);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("on a phone", () => {
  it("the controls stay in view beside the charts, and tapping a chart element shows what hovering would", async () => {
    const context = await site.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${site.origin}/lessons/7?step=80`);
    await waitForContent(page, ".sim-player .cluster-view");
    for (const chart of [".sim-player .cluster-view", ".sim-player svg.space-time", ".sim-player svg.log-grid"]) {
      await page.locator(chart).scrollIntoViewIfNeeded();
      const box = await page.locator(".player-controls").boundingBox();
      expect(box, `controls while ${chart} is on screen`).not.toBeNull();
      expect((box?.y ?? -1) >= 0 && (box?.y ?? 0) + (box?.height ?? 0) <= 844, `controls on screen beside ${chart}`).toBe(true);
    }
    await page.locator(".log-grid g.log-cell").first().tap();
    expect(await panel(page).getAttribute("data-panel")).toBe("info");
    expect(await panel(page).innerText()).toMatch(/index \d+/);
    await panel(page).screenshot({ path: join(ARTIFACTS, "panel-info-phone.png") });
    await page.locator(".cluster-view g.node[data-node='2']").tap();
    expect(await panel(page).getAttribute("data-panel")).toBe("node");
    await page.screenshot({ path: join(ARTIFACTS, "panel-server-phone.png") });
    expect(errors).toEqual([]);
    await context.close();
  });
});
