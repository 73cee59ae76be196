// Checkpoints: restore returns to exactly the saved run (nodes, storage, network, clock, random numbers, checkers), any number of times.

import { describe, expect, it } from "vitest";
import { Simulation, serializeTrace, toTraceFile, type Hook, type NodeId } from "../src/index.js";
import { Chatter, chatterFactory, type Note } from "./probe-node.js";

const nodes = [0, 1, 2, 3];
const network = { latency: { kind: "exponential", min: 1, mean: 10, max: 100 }, drop: 0.1, duplicate: 0.1 } as const;
const make = (hooks: Hook[] = [], seed = 5) => new Simulation<Note>({ seed, nodes, createNode: chatterFactory, network, hooks });
const traceText = (sim: Simulation<Note>) => serializeTrace(toTraceFile(sim, "chatter"));
const counts = (sim: Simulation<Note>) => nodes.map((id) => sim.node<Chatter>(id)?.count ?? -1);

/** A checker with memory: the highest count any node ever reached. */
function highWater(): Hook<Note> & { best: number } {
  let best = 0;
  const hook = ((sim: Simulation<Note>) => {
    for (const id of sim.nodeIds) best = Math.max(best, sim.node<Chatter>(id)?.count ?? 0);
    hook.best = best;
    return undefined;
  }) as Hook<Note> & { best: number };
  hook.best = 0;
  hook.save = () => best;
  hook.restore = (m) => {
    best = m as number;
    hook.best = best;
  };
  return hook;
}

describe("checkpoint and restore", () => {
  it("replays the same future after a restore, byte for byte, as often as asked", () => {
    const sim = make();
    sim.runUntilTime(300);
    sim.apply({ type: "crash", node: 2 });
    sim.runUntilTime(400);
    const cp = sim.checkpoint();
    expect(cp.step).toBe(sim.stepCount);
    expect(cp.time).toBe(400);
    sim.apply({ type: "restart", node: 2 });
    sim.runUntilTime(900);
    const first = traceText(sim);
    const firstCounts = counts(sim);
    for (let i = 0; i < 3; i++) {
      sim.restore(cp);
      expect(sim.stepCount).toBe(cp.step);
      expect(sim.now).toBe(400);
      expect(sim.status(2)).toBe("crashed");
      sim.apply({ type: "restart", node: 2 });
      sim.runUntilTime(900);
      expect(traceText(sim)).toBe(first);
      expect(counts(sim)).toEqual(firstCounts);
    }
  });

  it("a restored run equals a fresh run with the same actions (the checkpoint hides nothing)", () => {
    const a = make();
    a.runUntilTime(250);
    const cp = a.checkpoint();
    a.runUntilTime(600);
    a.restore(cp);
    a.apply({ type: "cut", from: 0, to: 1 });
    a.runUntilTime(700);
    const b = make();
    b.runUntilTime(250);
    b.apply({ type: "cut", from: 0, to: 1 });
    b.runUntilTime(700);
    expect(traceText(a)).toBe(traceText(b));
    expect(a.counters.toJSON()).toEqual(b.counters.toJSON());
    expect(a.requests).toEqual(b.requests);
  });

  it("branches do not leak into each other: node state, storage, timers, queue and counters are copied on write", () => {
    const sim = make();
    sim.runUntilTime(200);
    const cp = sim.checkpoint();
    const storageBefore = nodes.map((id) => sim.storage(id).get("count"));
    const countersBefore = JSON.stringify(sim.counters.toJSON());
    const pendingBefore = sim.pendingEvents().map((e) => e.id);
    // Branch A: a partition and a lot of traffic.
    sim.apply({ type: "partition", groups: [[0, 1], [2, 3]] });
    sim.runUntilTime(800);
    const a = traceText(sim);
    sim.restore(cp);
    expect(nodes.map((id) => sim.storage(id).get("count"))).toEqual(storageBefore);
    expect(JSON.stringify(sim.counters.toJSON())).toBe(countersBefore);
    expect(sim.pendingEvents().map((e) => e.id)).toEqual(pendingBefore);
    expect(sim.blockedLinks()).toEqual([]);
    // Branch B: no partition, a crash instead; then branch A again must be exactly as before.
    sim.apply({ type: "crash", node: 0 });
    sim.runUntilTime(800);
    const b = traceText(sim);
    expect(b).not.toBe(a);
    sim.restore(cp);
    sim.apply({ type: "partition", groups: [[0, 1], [2, 3]] });
    sim.runUntilTime(800);
    expect(traceText(sim)).toBe(a);
  });

  it("restores every checker's memory, and refuses a checker that cannot save it", () => {
    const hook = highWater();
    const sim = make([hook]);
    sim.runUntilTime(100);
    const cp = sim.checkpoint();
    const early = hook.best;
    sim.runUntilTime(1000);
    expect(hook.best).toBeGreaterThan(early);
    sim.restore(cp);
    expect(hook.best).toBe(early);
    const forgetful: Hook = () => undefined;
    const other = make([forgetful]);
    expect(() => other.checkpoint()).toThrow(/cannot be checkpointed: give it save\(\) and restore\(\)/);
  });

  it("a restore goes back before a violation, and the run may go on from there", () => {
    let armed = false;
    const tripwire: Hook<Note> = () => (armed ? { checker: "tripwire", message: "stop" } : undefined);
    tripwire.save = () => undefined;
    tripwire.restore = () => undefined;
    const sim = make([tripwire]);
    sim.runUntilTime(100);
    const cp = sim.checkpoint();
    armed = true;
    sim.step();
    expect(sim.stopped).toBe(true);
    armed = false;
    sim.restore(cp);
    expect(sim.stopped).toBe(false);
    expect(sim.step()).toBe(true);
  });

  it("counts incarnations, and a restore brings back the count", () => {
    const sim = make();
    expect(sim.incarnation(1)).toBe(1);
    const cp = sim.checkpoint();
    sim.apply({ type: "restart", node: 1 });
    sim.apply({ type: "crash", node: 1 });
    sim.apply({ type: "restart", node: 1 });
    expect(sim.incarnation(1)).toBe(3);
    sim.restore(cp);
    expect(sim.incarnation(1)).toBe(1);
  });

  it("shares untouched node objects with the checkpoint and copies a node only when it runs", () => {
    const sim = make();
    sim.runUntilTime(100);
    const cp = sim.checkpoint();
    const before = new Map<NodeId, unknown>(nodes.map((id) => [id, sim.node(id)]));
    sim.restore(cp);
    for (const id of nodes) expect(sim.node(id)).toBe(before.get(id));
    sim.step();
    const changed = nodes.filter((id) => sim.node(id) !== before.get(id));
    expect(changed.length).toBeLessThanOrEqual(1);
  });

  it("refuses a checkpoint of another simulation", () => {
    const a = make();
    const b = make();
    expect(() => b.restore(a.checkpoint())).toThrow(/another simulation/);
  });
});
