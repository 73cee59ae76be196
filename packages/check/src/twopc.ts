// The two-phase commit checker: atomicity (no commit anywhere while an abort somewhere) and commit only on unanimous yes votes.

import type { Hook, NodeId, Simulation, Violation } from "@course/sim";
import type { TwoPcInspection, TwoPcMessage, TwoPcNode } from "@course/twopc";

/**
 * After every step, every outcome any node has reached (a participant's commit or abort, the coordinator's
 * logged decision) is remembered; a transaction with both a commit and an abort breaks atomicity. A commit
 * also needs every participant's yes vote (Gray 1978: commit only if all voted yes): a participant seen
 * prepared has voted yes, and one never seen prepared or committed cannot have. Without that second rule a
 * coordinator that commits on a time-out would pass whenever the silent participant later obeys the commit.
 * Build a fresh checker for every simulation; its memory goes into checkpoints.
 */
export function twoPcChecker(): Hook<TwoPcMessage> {
  let commits = new Map<string, NodeId>();
  let aborts = new Map<string, NodeId>();
  /** Per transaction, the participants seen prepared (or committed): those that voted yes. */
  let votedYes = new Map<string, Set<NodeId>>();
  let coordinators = new Set<NodeId>();
  let lastStep = -1;

  const unanimity = (sim: Simulation<TwoPcMessage>, txn: string, node: NodeId): Violation | undefined => {
    const yes = votedYes.get(txn);
    const silent = sim.nodeIds.filter((id) => !coordinators.has(id) && yes?.has(id) !== true);
    if (silent.length === 0) return undefined;
    return {
      checker: "2PC: commit needs every yes vote",
      message: `${txn} committed at node ${node} but participant(s) ${silent.join(", ")} never voted yes`,
      details: { txn, committedAt: node, withoutYes: silent },
    };
  };

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

  const hook: Hook<TwoPcMessage> = (sim: Simulation<TwoPcMessage>): Violation | undefined => {
    if (sim.stepCount < lastStep) {
      commits = new Map();
      aborts = new Map();
      votedYes = new Map();
      coordinators = new Set();
    }
    lastStep = sim.stepCount;
    // Votes first, so that a commit in this step is judged against every vote cast up to now.
    const views: Array<[NodeId, TwoPcInspection]> = [];
    for (const id of sim.nodeIds) {
      const view = sim.node<TwoPcNode>(id)?.inspect();
      if (view === undefined) continue;
      views.push([id, view]);
      if (view.role === "coordinator") coordinators.add(id);
      for (const [txn, state] of Object.entries(view.txns)) {
        if (state !== "prepared" && state !== "committed") continue;
        const yes = votedYes.get(txn) ?? new Set<NodeId>();
        yes.add(id);
        votedYes.set(txn, yes);
      }
    }
    for (const [id, view] of views) {
      for (const [txn, state] of Object.entries(view.txns)) {
        if (state !== "committed" && state !== "aborted") continue;
        const v = record(txn, id, state === "committed" ? "commit" : "abort") ?? (state === "committed" ? unanimity(sim, txn, id) : undefined);
        if (v) return v;
      }
      for (const [txn, decision] of Object.entries(view.decisions)) {
        const v = record(txn, id, decision) ?? (decision === "commit" ? unanimity(sim, txn, id) : undefined);
        if (v) return v;
      }
    }
    return undefined;
  };
  type Memory = { commits: Map<string, NodeId>; aborts: Map<string, NodeId>; votedYes: Map<string, Set<NodeId>>; coordinators: Set<NodeId>; lastStep: number };
  const copy = (m: Memory): Memory => ({
    commits: new Map(m.commits),
    aborts: new Map(m.aborts),
    votedYes: new Map([...m.votedYes].map(([txn, yes]) => [txn, new Set(yes)] as const)),
    coordinators: new Set(m.coordinators),
    lastStep: m.lastStep,
  });
  hook.save = () => copy({ commits, aborts, votedYes, coordinators, lastStep });
  hook.restore = (memory) => {
    ({ commits, aborts, votedYes, coordinators, lastStep } = copy(memory as Memory));
  };
  return hook;
}
