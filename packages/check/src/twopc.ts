// The two-phase commit atomicity checker: no transaction commits anywhere while it aborts somewhere else.

import type { Hook, NodeId, Simulation, Violation } from "@course/sim";
import type { TwoPcMessage, TwoPcNode } from "@course/twopc";

/**
 * After every step, every outcome any node has reached (a participant's commit or abort, the coordinator's
 * logged decision) is remembered; a transaction with both a commit and an abort breaks atomicity. Build a
 * fresh checker for every simulation.
 */
export function twoPcChecker(): Hook<TwoPcMessage> {
  let commits = new Map<string, NodeId>();
  let aborts = new Map<string, NodeId>();
  let lastStep = -1;

  const record = (txn: string, node: NodeId, outcome: "commit" | "abort"): Violation | undefined => {
    const mine = outcome === "commit" ? commits : aborts;
    const other = outcome === "commit" ? aborts : commits;
    if (!mine.has(txn)) mine.set(txn, node);
    const clash = other.get(txn);
    if (clash === undefined) return undefined;
    const [c, a] = outcome === "commit" ? [node, clash] : [clash, node];
    return {
      checker: "2PC: atomicity",
      message: `${txn} committed at node ${c} but aborted at node ${a}`,
      details: { txn, committedAt: c, abortedAt: a },
    };
  };

  return (sim: Simulation<TwoPcMessage>): Violation | undefined => {
    if (sim.stepCount < lastStep) {
      commits = new Map();
      aborts = new Map();
    }
    lastStep = sim.stepCount;
    for (const id of sim.nodeIds) {
      const node = sim.node<TwoPcNode>(id);
      if (node === undefined) continue;
      const view = node.inspect();
      for (const [txn, state] of Object.entries(view.txns)) {
        if (state !== "committed" && state !== "aborted") continue;
        const v = record(txn, id, state === "committed" ? "commit" : "abort");
        if (v) return v;
      }
      for (const [txn, decision] of Object.entries(view.decisions)) {
        const v = record(txn, id, decision);
        if (v) return v;
      }
    }
    return undefined;
  };
}
