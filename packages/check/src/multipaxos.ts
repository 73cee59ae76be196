// The Multi-Paxos safety checker: Paxos safety per slot, and agreement of the replicas' applied logs.

import type { Hook, NodeId, Simulation, Violation } from "@course/sim";
import { formatCommand, sameBallot, type Command, type MultiPaxosMessage, type MultiPaxosNode, type SlotAccepted } from "@course/paxos";
import { BallotLedger, opValue } from "./paxos-ballots.js";

/**
 * Checks, after every step: per slot, at most one command is chosen, only a client's command or a no-op is
 * chosen, no acceptor accepts below a promise, one command per proposal number; and across replicas, no two
 * apply different commands in the same slot (so applied logs are prefixes of one another) and nothing is
 * applied before it is chosen. Build a fresh checker for every simulation; its memory goes into checkpoints.
 */
export function multiPaxosChecker(): Hook<MultiPaxosMessage> {
  let ledger: BallotLedger<Command> | undefined;
  let lastStep = -1;
  let proposed = new Set<string>();
  let seenRequests = 0;
  let seenVersion = new Map<NodeId, { node: MultiPaxosNode; version: number }>();
  let seenAccepted = new Map<NodeId, Map<number, SlotAccepted>>();
  let appliedLength = new Map<NodeId, number>();
  /** The command applied at each slot, and the first replica seen applying it. */
  let applied: Array<{ v: Command; by: NodeId }> = [];

  const hook: Hook<MultiPaxosMessage> = (sim: Simulation<MultiPaxosMessage>): Violation | undefined => {
    if (ledger === undefined || sim.stepCount < lastStep) {
      ledger = new BallotLedger<Command>(sim.nodeIds.length, formatCommand, (v) => v === null || proposed.has(v));
      proposed = new Set();
      seenRequests = 0;
      seenVersion = new Map();
      seenAccepted = new Map();
      appliedLength = new Map();
      applied = [];
    }
    lastStep = sim.stepCount;
    const requests = sim.requests;
    for (; seenRequests < requests.length; seenRequests++) proposed.add(opValue(requests[seenRequests]?.request.op));

    for (const id of sim.nodeIds) {
      const node = sim.node<MultiPaxosNode>(id);
      if (node === undefined) continue;
      const view = node.inspect();
      const seen = seenVersion.get(id);
      if (seen !== undefined && seen.node === node && seen.version === view.version) continue;
      seenVersion.set(id, { node, version: view.version });
      // A restarted replica is a new object whose log is whatever it rebuilt from storage: check all of it again.
      if (seen !== undefined && seen.node !== node) appliedLength.delete(id);

      const known = seenAccepted.get(id) ?? new Map<number, SlotAccepted>();
      seenAccepted.set(id, known);
      for (const [slot, acc] of view.acceptor.accepted) {
        const before = known.get(slot);
        // Compare by value: a restarted replica rebuilds equal entries from storage.
        if (before === acc || (before !== undefined && sameBallot(before.n, acc.n) && before.v === acc.v)) continue;
        known.set(slot, acc);
        const v = ledger.noteAccept(id, slot, acc.n, acc.v, ` in slot ${slot}`);
        if (v) return v;
      }
      ledger.notePromise(id, view.acceptor.promised);

      const log = view.log;
      const from = appliedLength.get(id) ?? 0;
      for (let slot = Math.min(from, log.length); slot < log.length; slot++) {
        const v = log[slot] as Command;
        const first = applied[slot];
        if (first === undefined) {
          if (!ledger.isChosen(slot) || ledger.chosen(slot) !== v) {
            return {
              checker: "Multi-Paxos: apply only chosen commands",
              message: `replica ${id} applied ${formatCommand(v)} at slot ${slot}, but ${ledger.isChosen(slot) ? `${formatCommand(ledger.chosen(slot) as Command)} is the chosen command` : "no command has been chosen there"}`,
              details: { replica: id, slot, applied: v, chosen: ledger.chosen(slot) },
            };
          }
          applied[slot] = { v, by: id };
        } else if (first.v !== v) {
          return {
            checker: "Multi-Paxos: replicas apply the same command per slot",
            message: `replica ${first.by} applied ${formatCommand(first.v)} at slot ${slot} but replica ${id} applied ${formatCommand(v)}: their logs are not prefixes of one another`,
            details: { slot, replicas: [first.by, id], commands: [first.v, v] },
          };
        }
      }
      appliedLength.set(id, log.length);
    }
    return undefined;
  };
  type Memory = {
    ledger: BallotLedger<Command> | undefined;
    lastStep: number;
    proposed: Set<string>;
    seenRequests: number;
    seenVersion: Map<NodeId, { node: MultiPaxosNode; version: number }>;
    seenAccepted: Map<NodeId, Map<number, SlotAccepted>>;
    appliedLength: Map<NodeId, number>;
    applied: Array<{ v: Command; by: NodeId }>;
  };
  // Recorded values are never changed in place, so the copies share them; only the containers are copied.
  const copy = (m: Memory): Memory => ({
    ledger: m.ledger?.copy(),
    lastStep: m.lastStep,
    proposed: new Set(m.proposed),
    seenRequests: m.seenRequests,
    seenVersion: new Map(m.seenVersion),
    seenAccepted: new Map([...m.seenAccepted].map(([id, slots]) => [id, new Map(slots)] as const)),
    appliedLength: new Map(m.appliedLength),
    applied: m.applied.slice(),
  });
  hook.save = () => copy({ ledger, lastStep, proposed, seenRequests, seenVersion, seenAccepted, appliedLength, applied });
  hook.restore = (memory) => {
    ({ ledger, lastStep, proposed, seenRequests, seenVersion, seenAccepted, appliedLength, applied } = copy(memory as Memory));
  };
  return hook;
}
