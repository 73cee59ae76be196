// Bad input gets a clear error, never a hang or NaN.

import { describe, expect, it } from "vitest";
import { Simulation, SimulationError, type LinkConfig, type ScheduledFault } from "../src/index.js";
import { probeFactory } from "./probe-node.js";

const nodes = [0, 1, 2];
const withNetwork = (network: unknown) => () => new Simulation({ seed: 1, nodes, createNode: probeFactory, network: network as Partial<LinkConfig> });
const withFaults = (faults: unknown) => () => new Simulation({ seed: 1, nodes, createNode: probeFactory, faults: faults as ScheduledFault[] });

describe("bad input", () => {
  it("rejects negative latency", () => {
    expect(withNetwork({ latency: { kind: "fixed", ms: -1 } })).toThrow(/latency ms must not be negative/);
    expect(withNetwork({ latency: { kind: "uniform", min: -5, max: 5 } })).toThrow(SimulationError);
  });

  it("rejects latency that is not a number, or max below min", () => {
    expect(withNetwork({ latency: { kind: "uniform", min: 1, max: Number.NaN } })).toThrow(/finite number/);
    expect(withNetwork({ latency: { kind: "uniform", min: 9, max: 3 } })).toThrow(/below min/);
    expect(withNetwork({ latency: { kind: "gaussian" } })).toThrow(/unknown latency kind/);
  });

  it("rejects probabilities outside [0, 1]", () => {
    expect(withNetwork({ drop: 1.5 })).toThrow(/drop probability must be a number in \[0, 1\]/);
    expect(withNetwork({ duplicate: -0.1 })).toThrow(/duplicate probability/);
    expect(withNetwork({ drop: Number.NaN })).toThrow(/drop probability/);
  });

  it("rejects unknown node ids in a fault schedule", () => {
    expect(withFaults([{ at: 10, action: { type: "crash", node: 7 } }])).toThrow(/fault #0 \(crash at 10\): unknown node id 7 \(nodes are 0, 1, 2\)/);
    expect(withFaults([{ at: 10, action: { type: "partition", groups: [[0], [9]] } }])).toThrow(/unknown node id 9/);
    expect(withFaults([{ at: 10, action: { type: "cut", from: 0, to: 3 } }])).toThrow(/unknown node id 3/);
  });

  it("rejects bad fault times and unknown fault types", () => {
    expect(withFaults([{ at: -1, action: { type: "crash", node: 0 } }])).toThrow(/time must be a finite number >= 0/);
    expect(withFaults([{ at: Number.POSITIVE_INFINITY, action: { type: "crash", node: 0 } }])).toThrow(/finite/);
    expect(withFaults([{ at: 1, action: { type: "explode", node: 0 } }])).toThrow(/unknown fault type "explode"/);
  });

  it("rejects interactive faults on unknown nodes", () => {
    const sim = new Simulation({ seed: 1, nodes, createNode: probeFactory });
    expect(() => sim.apply({ type: "crash", node: 12 })).toThrow(/unknown node id 12/);
    expect(() => sim.request(5, {})).toThrow(/unknown node id 5/);
  });

  it("rejects a message to a node that does not exist", () => {
    const sim = new Simulation({ seed: 1, nodes, createNode: probeFactory });
    expect(() => sim.request(0, { do: "send", to: 8, text: "hello?" })).toThrow(/node 0 sent note to unknown node 8 \(nodes are 0, 1, 2\)/);
  });

  it("rejects bad timers, seeds and node lists", () => {
    const sim = new Simulation({ seed: 1, nodes, createNode: probeFactory });
    expect(() => sim.request(0, { do: "timer", name: "t", delay: -3 })).toThrow(/timer "t" needs a finite delay >= 0/);
    expect(() => sim.request(0, { do: "timer", name: "t", delay: Number.NaN })).toThrow(/finite delay/);
    expect(() => new Simulation({ seed: 1.5, nodes, createNode: probeFactory })).toThrow(/seed must be an integer/);
    expect(() => new Simulation({ seed: 1, nodes: [], createNode: probeFactory })).toThrow(/non-empty/);
    expect(() => new Simulation({ seed: 1, nodes: [1, 1], createNode: probeFactory })).toThrow(/appears twice/);
  });

  it("rejects a bad link change during a run", () => {
    const sim = new Simulation({ seed: 1, nodes, createNode: probeFactory });
    expect(() => sim.apply({ type: "link", config: { drop: 2 } })).toThrow(/drop probability/);
  });
});
