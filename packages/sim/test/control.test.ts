// The control API: step, run until a time or a predicate, rewind by replay, and checker hooks.

import { describe, expect, it } from "vitest";
import { restartable, Simulation, serializeTrace, toTraceFile, type Hook } from "../src/index.js";
import { gossipFactory } from "./probe-node.js";

const nodes = [0, 1, 2];
const make = (hooks: Hook[] = []) => new Simulation({ seed: 9, nodes, createNode: gossipFactory, network: { drop: 0.1 }, hooks });
const traceJson = (sim: Simulation) => JSON.stringify(sim.trace);

describe("control", () => {
  it("step runs exactly one event", () => {
    const sim = make();
    const before = sim.trace.length;
    expect(sim.step()).toBe(true);
    expect(sim.stepCount).toBe(1);
    const fresh = sim.trace.slice(before);
    expect(fresh.length).toBeGreaterThan(0);
    expect(new Set(fresh.map((e) => e.step))).toEqual(new Set([1]));
  });

  it("runUntilTime stops at the time and moves the clock there", () => {
    const sim = make();
    sim.runUntilTime(333);
    expect(sim.now).toBe(333);
    expect(sim.trace.every((e) => e.time <= 333)).toBe(true);
    expect(sim.trace.some((e) => e.time > 300)).toBe(true);
  });

  it("runUntil stops as soon as the predicate holds, or gives up at the timeout", () => {
    const sim = make();
    const reached = sim.runUntil((s) => s.trace.filter((e) => e.kind === "deliver").length >= 10);
    expect(reached).toBe(true);
    expect(sim.trace.filter((e) => e.kind === "deliver")).toHaveLength(10);
    const never = sim.runUntil(() => false, { timeout: 500 });
    expect(never).toBe(false);
  });

  it("rewinding to step k reproduces exactly the trace up to k, interactive actions included", () => {
    const sim = make();
    sim.runUntilTime(200);
    sim.apply({ type: "crash", node: 1 });
    sim.runUntilTime(400);
    sim.apply({ type: "restart", node: 1 });
    sim.note("back up", { label: "restart" });
    sim.runUntilTime(800);
    const full = traceJson(sim);
    const k = Math.floor(sim.stepCount * 0.75);
    const prefix = JSON.stringify(sim.trace.filter((e) => e.step <= k));
    sim.rewind(k);
    expect(sim.stepCount).toBe(k);
    expect(traceJson(sim)).toBe(prefix);
    sim.runUntilTime(800);
    expect(traceJson(sim)).toBe(full); // the same future plays again
  });

  it("an action after a rewind forks history: later recorded actions no longer happen", () => {
    const sim = make();
    sim.runUntilTime(100);
    const k = sim.stepCount;
    sim.runUntilTime(300);
    sim.apply({ type: "crash", node: 2 });
    sim.rewind(k);
    sim.apply({ type: "crash", node: 0 });
    sim.runUntilTime(500);
    expect(sim.isUp(2)).toBe(true);
    expect(sim.isUp(0)).toBe(false);
    expect(sim.actions.map((a) => a.action)).toEqual([{ type: "crash", node: 0 }]);
  });

  it("rewinds 10,000 steps by replay", () => {
    const sim = make();
    sim.runUntil((s) => s.stepCount >= 10_000, { timeout: 1e9 });
    const json = serializeTrace(toTraceFile(sim, "t"));
    sim.rewind(0);
    expect(sim.stepCount).toBe(0);
    sim.rewind(10_000);
    expect(serializeTrace(toTraceFile(sim, "t"))).toBe(json);
  });

  it("a hook that reports a violation stops the run with a readable report", () => {
    const hook: Hook = (s) => (s.trace.filter((e) => e.kind === "crash").length > 0 ? { checker: "No crashes", message: "a node crashed" } : undefined);
    const sim = make([hook]);
    sim.runUntilTime(100);
    sim.apply({ type: "crash", node: 0 });
    expect(sim.stopped).toBe(true);
    const steps = sim.stepCount;
    expect(sim.step()).toBe(false);
    sim.runUntilTime(1000);
    expect(sim.stepCount).toBe(steps);
    expect(sim.violationReport()).toMatch(/No crashes violated at .*seed 9.*a node crashed/);
    expect(() => sim.assertNoViolation()).toThrow(/No crashes/);
    expect(sim.trace.at(-1)?.kind).toBe("violation");
  });

  it("hooks run after every step", () => {
    let calls = 0;
    const sim = make([() => void calls++]);
    for (let i = 0; i < 25; i++) sim.step();
    expect(calls).toBe(25);
  });

  it("counts messages and bytes by type", () => {
    const sim = make();
    sim.runUntilTime(1000);
    const note = sim.counters.byType.get("note");
    const sends = sim.trace.filter((e) => e.kind === "send").length;
    expect(note?.sent).toBe(sends);
    expect(note?.delivered).toBe(sim.trace.filter((e) => e.kind === "deliver").length);
    expect(note?.bytes).toBeGreaterThan(sends * 10);
  });

  it("runs the same with recording off, only without a trace", () => {
    const on = make();
    const off = new Simulation({ seed: 9, nodes, createNode: gossipFactory, network: { drop: 0.1 }, record: false });
    on.runUntilTime(2000);
    off.runUntilTime(2000);
    expect(off.trace).toHaveLength(0);
    expect(off.stepCount).toBe(on.stepCount);
    expect(off.counters.total().delivered).toBe(on.counters.total().delivered);
  });

  it("a restartable checker starts afresh at a rewind, so it never compares a replay with its own future", () => {
    // A checker with memory: the set of deliveries it has seen must only grow.
    const makeGrowthChecker = (): Hook => {
      let seen = 0;
      return (s) => {
        const now = s.counters.total().delivered;
        if (now < seen) return { checker: "Deliveries only grow", message: `saw ${seen}, now ${now}` };
        seen = now;
        return undefined;
      };
    };
    const fresh = make([restartable(makeGrowthChecker)]);
    fresh.runUntilTime(500);
    fresh.rewind(10);
    fresh.runUntilTime(600);
    expect(fresh.violation).toBeUndefined();

    const stale = make([makeGrowthChecker()]);
    stale.runUntilTime(500);
    stale.rewind(10);
    expect(stale.violation?.checker).toBe("Deliveries only grow");
  });
});
