// Two-phase commit on the simulator: commits, aborts, and blocks for exactly as long as the coordinator is down.

import { describe, expect, it } from "vitest";
import { Simulation, type ScheduledFault } from "@course/sim";
import { createTwoPcNode, type TwoPcMessage, type TwoPcNode, type TwoPcNodeOptions } from "../src/index.js";

const NODES = [0, 1, 2, 3, 4];
function run(options: TwoPcNodeOptions = {}, faults: ScheduledFault[] = [], until = 1000) {
  const sim = new Simulation<TwoPcMessage>({ seed: 1, nodes: NODES, network: { latency: { kind: "fixed", ms: 5 } }, createNode: createTwoPcNode(options), requests: [{ at: 0, node: 0, op: "t1" }], faults });
  sim.runUntilTime(until);
  return sim;
}
const states = (sim: Simulation<TwoPcMessage>) => [1, 2, 3, 4].map((id) => sim.node<TwoPcNode>(id)?.inspect().txns.t1);

describe("two-phase commit node", () => {
  it("commits when everyone votes yes, and tells the client", () => {
    const sim = run();
    expect(states(sim)).toEqual(["committed", "committed", "committed", "committed"]);
    expect(sim.requests[0]?.result).toEqual({ txn: "t1", decision: "commit" });
  });

  it("aborts everywhere when one participant votes no", () => {
    expect(states(run({ votesNo: [3] }))).toEqual(["aborted", "aborted", "aborted", "aborted"]);
  });

  it("aborts at the vote time-out when a participant is down", () => {
    const sim = run({}, [{ at: 0, action: { type: "crash", node: 4 } }]);
    expect(states(sim).slice(0, 3)).toEqual(["aborted", "aborted", "aborted"]);
  });

  it("blocks prepared participants while the coordinator is down, and finishes from its log", () => {
    // Votes arrive at 10 ms; the decision is logged then. Cutting the coordinator's links first keeps the decision from leaving.
    const faults: ScheduledFault[] = [
      ...[1, 2, 3, 4].map((to) => ({ at: 9, action: { type: "cut" as const, from: 0, to } })),
      { at: 11, action: { type: "crash", node: 0 } },
      { at: 12, action: { type: "heal" } },
      { at: 2000, action: { type: "restart", node: 0 } },
    ];
    const blocked = run({}, faults, 1999);
    expect(blocked.storage(0).get("decision:t1")).toBe("commit");
    expect(states(blocked)).toEqual(["prepared", "prepared", "prepared", "prepared"]);
    blocked.runUntilTime(2100);
    expect(states(blocked)).toEqual(["committed", "committed", "committed", "committed"]);
  });

  it("a participant that restarts prepared asks, and learns the decision", () => {
    const faults: ScheduledFault[] = [
      { at: 6, action: { type: "crash", node: 2 } },
      { at: 50, action: { type: "restart", node: 2 } },
    ];
    expect(states(run({}, faults))).toEqual(["committed", "committed", "committed", "committed"]);
  });
});
