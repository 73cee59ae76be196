// The trace viewer checks and draws a client history carried by a trace file: verdict, explanation, history chart, on a wide and a phone screen.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Simulation, serializeTrace, toTraceFile, type Message, type NodeFactory } from "@course/sim";
import { createRaftNode } from "@course/raft";
import { kvModel, recordHistory, type KvInput, type KvOutput, type Operation } from "@course/check";
import { ARTIFACTS, openSite, waitForContent, watchedPage, type Site } from "./browser.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const op = (id: number, client: number, call: number, ret: number, input: KvInput, output: KvOutput): Operation<KvInput, KvOutput> => ({ id, client, call, return: ret, input, output });

/** A trace file as the terminal writes it, plus a client history: a stale read of x, and a write that was never answered. */
function traceWithHistory(name: string, operations: Operation<KvInput, KvOutput>[]): string {
  const sim = new Simulation<Message>({ seed: 3, nodes: [1, 2, 3], createNode: createRaftNode() as unknown as NodeFactory<Message> });
  sim.runUntilTime(300);
  const file = join(ARTIFACTS, name);
  writeFileSync(file, serializeTrace({ ...toTraceFile(sim, "sandbox/raft-3"), history: recordHistory(kvModel, operations, ["alice", "bob", "carol"]) } as ReturnType<typeof toTraceFile>));
  return file;
}

const stale = [
  op(0, 0, 0, 10, { op: "put", key: "x", value: "1" }, {}),
  op(1, 1, 20, 30, { op: "put", key: "x", value: "2" }, {}),
  op(2, 0, 40, 50, { op: "get", key: "x" }, { value: "1" }),
  op(3, 2, 5, Infinity, { op: "put", key: "y", value: "3" }, { unknown: true }),
];

describe("client history in the trace viewer", () => {
  for (const [screen, viewport] of [["wide", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]] as const) {
    it(`shows the verdict, the explanation and the chart of an illegal history (${screen})`, async () => {
      const { page, errors, offsite } = await watchedPage(site, viewport);
      await page.goto(`${site.origin}/trace-viewer`);
      await waitForContent(page, ".trace-viewer .tool-form");
      await page.locator("input[data-control=trace-file]").setInputFiles(traceWithHistory(`history-${screen}.json`, stale));
      await waitForContent(page, ".history-panel svg.history-chart");
      expect(await page.locator(".history-panel p").first().innerText()).toContain("Not linearizable");
      expect(await page.locator(".history-explanation").innerText()).toContain('get(x) -> "1" [id 2, client 0, 40..50]');
      expect(await page.locator(".history-chart g.op.unplaceable").getAttribute("data-id")).toBe("2");
      expect(await page.locator(".history-chart g.op.prefix").count()).toBe(2);
      expect(await page.locator(".history-chart .lane-label").allTextContents()).toEqual(["alice", "bob"]);
      // The chart fits the screen: no sideways scrolling on a phone.
      const box = await page.locator(".history-chart").boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(viewport.width);
      await page.locator(".history-panel").screenshot({ path: join(ARTIFACTS, `history-panel-${screen}.png`) });
      expect(errors).toEqual([]);
      expect(offsite).toEqual([]);
      await page.close();
    });
  }

  it("says when a trace's history is linearizable, and stays quiet for a trace without one", async () => {
    const { page, errors } = await watchedPage(site);
    await page.goto(`${site.origin}/trace-viewer`);
    await waitForContent(page, ".trace-viewer .tool-form");
    await page.locator("input[data-control=trace-file]").setInputFiles(traceWithHistory("history-ok.json", stale.filter((o) => o.id !== 2)));
    await waitForContent(page, ".history-panel svg.history-chart");
    expect(await page.locator(".history-panel p").first().innerText()).toContain("Linearizable");
    expect(await page.locator(".history-chart g.op.unplaceable").count()).toBe(0);
    await page.locator("button[data-action=example-trace]").click();
    await page.waitForFunction(() => document.querySelector(".history-panel") === null);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a malformed history gets a readable message, and the trace still opens", async () => {
    const { page, errors } = await watchedPage(site);
    await page.goto(`${site.origin}/trace-viewer`);
    await waitForContent(page, ".trace-viewer .tool-form");
    const broken = stale.map((o) => (o.id === 1 ? { ...o, call: Number.NaN } : o));
    await page.locator("input[data-control=trace-file]").setInputFiles(traceWithHistory("history-broken.json", broken));
    await waitForContent(page, ".history-panel .tool-error");
    expect(await page.locator(".history-panel .tool-error").innerText()).toMatch(/cannot be checked: operation #1 \(id 1\): its call time must be a finite number/);
    expect(await page.locator(".sim-player .cluster-view").count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
