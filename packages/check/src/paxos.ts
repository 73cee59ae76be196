// The Basic Paxos safety checker, run after every simulator step.

import type { Hook, Simulation, Violation } from "@course/sim";
import { sameBallot, type AcceptorState, type BasicPaxosNode, type PaxosMessage } from "@course/paxos";
import { BallotLedger, opValue } from "./paxos-ballots.js";

/**
 * Checks, after every step: at most one value is chosen; a chosen value was proposed by a client; no acceptor
 * accepts below a promise it made (even one it forgot in a restart); one value per proposal number; a learner
 * learns only a chosen value. Build a fresh checker for every simulation; its memory goes into checkpoints.
 */
export function paxosChecker(): Hook<PaxosMessage> {
  let ledger: BallotLedger<string> | undefined;
  let lastStep = -1;
  let proposed = new Set<string>();
  let seenRequests = 0;
  let lastState = new Map<number, AcceptorState>();
  let learnedOk = new Set<number>();

  const hook: Hook<PaxosMessage> = (sim: Simulation<PaxosMessage>): Violation | undefined => {
    if (ledger === undefined || sim.stepCount < lastStep) {
      // First call, or the simulation was rewound: start over.
      ledger = new BallotLedger<string>(sim.nodeIds.length, (v) => `'${v}'`, (v) => proposed.has(v));
      proposed = new Set();
      seenRequests = 0;
      lastState = new Map();
      learnedOk = new Set();
    }
    lastStep = sim.stepCount;
    const requests = sim.requests;
    for (; seenRequests < requests.length; seenRequests++) proposed.add(opValue(requests[seenRequests]?.request.op));

    for (const id of sim.nodeIds) {
      const node = sim.node<BasicPaxosNode>(id);
      if (node === undefined) {
        learnedOk.delete(id);
        continue;
      }
      const view = node.inspect();
      const acc = view.acceptor;
      const before = lastState.get(id);
      if (acc !== before) {
        lastState.set(id, acc);
        const changed = acc.accepted !== undefined && (before?.accepted === undefined || !sameBallot(before.accepted.n, acc.accepted.n) || before.accepted.v !== acc.accepted.v);
        if (acc.accepted !== undefined && (changed || before === undefined)) {
          const v = ledger.noteAccept(id, 0, acc.accepted.n, acc.accepted.v, "");
          if (v) return v;
        }
        ledger.notePromise(id, acc.promised);
        ledger.notePromise(id, acc.accepted?.n);
      }
      if (view.learned !== undefined && !learnedOk.has(id)) {
        if (ledger.chosen(0) !== view.learned) {
          return {
            checker: "Paxos: learners learn the chosen value",
            message: `learner ${id} learned '${view.learned}' but ${ledger.isChosen(0) ? `'${ledger.chosen(0)}' is the chosen value` : "no value has been accepted by a majority"}`,
            details: { learner: id, learned: view.learned, chosen: ledger.chosen(0) },
          };
        }
        learnedOk.add(id);
      }
    }
    return undefined;
  };
  // Acceptor states are never changed in place (the rules return new ones), so the copies share them.
  hook.save = () => ({ ledger: ledger?.copy(), lastStep, proposed: new Set(proposed), seenRequests, lastState: new Map(lastState), learnedOk: new Set(learnedOk) });
  hook.restore = (memory) => {
    const m = memory as { ledger: BallotLedger<string> | undefined; lastStep: number; proposed: Set<string>; seenRequests: number; lastState: Map<number, AcceptorState>; learnedOk: Set<number> };
    ledger = m.ledger?.copy();
    lastStep = m.lastStep;
    proposed = new Set(m.proposed);
    seenRequests = m.seenRequests;
    lastState = new Map(m.lastState);
    learnedOk = new Set(m.learnedOk);
  };
  return hook;
}
