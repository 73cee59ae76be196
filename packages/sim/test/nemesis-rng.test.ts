// The seeded random number generator, the event queue's tie-break and the nemesis schedule generator.

import { describe, expect, it } from "vitest";
import { EventQueue, Rng, randomFaults, SimulationError, type NodeId } from "../src/index.js";

describe("Rng (xoshiro128**)", () => {
  it("repeats its sequence for a seed and differs across seeds", () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const c = new Rng(6);
    const seqA = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it("spreads values evenly over [0, 1)", () => {
    const rng = new Rng(123);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      if (x < 0 || x >= 1) outside++;
      else buckets[Math.floor(x * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it("int() stays within bounds and hits both ends", () => {
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
    expect(() => rng.int(5, 1)).toThrow(RangeError);
    for (let i = 0; i < 100; i++) expect(Number.isInteger(rng.int(0.5, 3.5))).toBe(true);
  });

  it("forks are independent of how much the parent draws", () => {
    const a = new Rng(77);
    const b = new Rng(77);
    for (let i = 0; i < 50; i++) b.next();
    expect(a.fork("net").next()).toBe(b.fork("net").next());
    expect(a.fork("net").next()).not.toBe(a.fork("node:1").next());
  });
});

describe("EventQueue", () => {
  it("orders by time, and events at the same time in the order they were scheduled", () => {
    const q = new EventQueue<string>();
    q.push(5, "c1");
    q.push(1, "a");
    q.push(5, "c2");
    q.push(3, "b");
    q.push(5, "c3");
    const out: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.item);
    expect(out).toEqual(["a", "b", "c1", "c2", "c3"]);
  });

  it("stays correct over many random operations", () => {
    const q = new EventQueue<number>();
    const rng = new Rng(3);
    const ref: Array<[number, number]> = [];
    for (let i = 0; i < 2000; i++) {
      const t = rng.int(0, 50);
      q.push(t, i);
      ref.push([t, i]);
    }
    ref.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const out: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.item);
    expect(out).toEqual(ref.map((r) => r[1]));
  });
});

describe("nemesis", () => {
  const nodes: NodeId[] = [0, 1, 2, 3, 4];
  const options = { seed: 11, nodes, end: 20_000, rates: { crash: 1, pause: 0.5, partition: 0.5, cut: 0.5, lossy: 0.3 } };

  it("is reproducible from its seed and differs across seeds", () => {
    expect(randomFaults(options)).toEqual(randomFaults(options));
    expect(randomFaults({ ...options, seed: 12 })).not.toEqual(randomFaults(options));
  });

  it("never has more than a minority down, and heals everything by the end", () => {
    const faults = randomFaults(options);
    expect(faults.length).toBeGreaterThan(20);
    const down = new Set<NodeId>();
    let cut = false;
    for (const f of faults) {
      expect(f.at).toBeLessThanOrEqual(20_000);
      const a = f.action;
      if (a.type === "crash" || a.type === "pause") down.add(a.node);
      if (a.type === "restart" || a.type === "resume") down.delete(a.node);
      if (a.type === "partition" || a.type === "cut") cut = true;
      if (a.type === "heal") cut = false;
      expect(down.size).toBeLessThanOrEqual(2);
    }
    expect(down.size).toBe(0);
    expect(cut).toBe(false);
  });

  it("rejects nonsense rates and windows", () => {
    expect(() => randomFaults({ ...options, rates: { crash: -1 } })).toThrow(SimulationError);
    expect(() => randomFaults({ ...options, end: -5 })).toThrow(/start <= end/);
  });
});
