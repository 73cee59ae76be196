// The Multi-Paxos safety checker: Paxos safety per slot, and agreement of the replicas' applied logs.

import type { Hook, NodeId, Simulation, Violation } from "@course/sim";
import { clientCommandOf, commandKey, formatCommand, quorumsFor, sameBallot, type Command, type MultiPaxosInspection, type MultiPaxosMessage, type Quorums, type SlotAccepted } from "@course/paxos";
import { BallotLedger } from "./paxos-ballots.js";
import { eachChangedReplica } from "./multipaxos-replicas.js";

export interface MultiPaxosCheckerOptions {
  /** The quorum sizes the replicas were configured with (default majorities): a slot is chosen at a phase-2 quorum. */
  readonly quorums?: Partial<Quorums>;
}

/**
 * Checks, after every step: per slot, at most one command is chosen, only a client's command or a no-op is
 * chosen, no acceptor accepts below a promise, one command per proposal number; and across replicas, no two
 * apply different commands in the same slot (so applied logs are prefixes of one another) and nothing is
 * applied before it is chosen. Commands are compared by value (client, number and op), since every replica holds
 * its own copy. Build a fresh checker for every simulation; its memory goes into checkpoints.
 */
export function multiPaxosChecker(options: MultiPaxosCheckerOptions = {}): Hook<MultiPaxosMessage> {
  /** The ledger keeps commands as their keys (equal for equal copies); `byKey` turns a key back into a command. */
  let ledger: BallotLedger<string> | undefined;
  const byKey = new Map<string, Command>();
  const keyOf = (v: Command): string => {
    const key = commandKey(v);
    if (!byKey.has(key)) byKey.set(key, v);
    return key;
  };
  const show = (key: string) => formatCommand(byKey.get(key) ?? null);
  let proposed = new Set<string>();
  let seenRequests = 0;
  let seenAccepted = new Map<NodeId, Map<number, SlotAccepted>>();
  /** The command applied at each slot, and the first replica seen applying it. */
  let applied: Array<{ key: string; by: NodeId }> = [];

  /** What each client request proposed: only these commands (and no-ops) may be chosen. */
  function noteRequests(sim: Simulation<MultiPaxosMessage>): void {
    const size = sim.nodeIds.length;
    ledger ??= new BallotLedger<string>(size, show, (key) => key === commandKey(null) || proposed.has(key), quorumsFor(size, options.quorums).phase2);
    const requests = sim.requests;
    for (; seenRequests < requests.length; seenRequests++) {
      const command = clientCommandOf((requests[seenRequests] as (typeof requests)[number]).request);
      if (!("error" in command)) proposed.add(keyOf(command));
    }
  }

  /** One replica's new accepts, its promise, and its log from slot `from` on (from 0 after a restart). */
  function checkReplica(id: NodeId, view: MultiPaxosInspection, from: number): number | Violation {
    const book = ledger as BallotLedger<string>;
    const known = seenAccepted.get(id) ?? new Map<number, SlotAccepted>();
    seenAccepted.set(id, known);
    for (const [slot, acc] of view.acceptor.accepted) {
      const before = known.get(slot);
      // Compare by value: a restarted replica rebuilds equal entries from storage.
      if (before === acc || (before !== undefined && sameBallot(before.n, acc.n) && commandKey(before.v) === commandKey(acc.v))) continue;
      known.set(slot, acc);
      const v = book.noteAccept(id, slot, acc.n, keyOf(acc.v), ` in slot ${slot}`);
      if (v) return v;
    }
    book.notePromise(id, view.acceptor.promised);

    const log = view.log;
    for (let slot = Math.min(from, log.length); slot < log.length; slot++) {
      const v = log[slot] as Command;
      const key = keyOf(v);
      const first = applied[slot];
      if (first === undefined) {
        const chosen = book.chosen(slot);
        if (chosen !== key) {
          return {
            checker: "Multi-Paxos: apply only chosen commands",
            message: `replica ${id} applied ${formatCommand(v)} at slot ${slot}, but ${chosen !== undefined ? `${show(chosen)} is the chosen command` : "no command has been chosen there"}`,
            details: { replica: id, slot, applied: v, chosen: chosen === undefined ? undefined : byKey.get(chosen) },
          };
        }
        applied[slot] = { key, by: id };
      } else if (first.key !== key) {
        return {
          checker: "Multi-Paxos: replicas apply the same command per slot",
          message: `replica ${first.by} applied ${show(first.key)} at slot ${slot} but replica ${id} applied ${formatCommand(v)}: their logs are not prefixes of one another`,
          details: { slot, replicas: [first.by, id], commands: [byKey.get(first.key), v] },
        };
      }
    }
    return log.length;
  }

  // A restarted replica is a new object whose log is whatever it rebuilt from storage: the walk reads all of it again.
  return eachChangedReplica(
    checkReplica,
    () => {
      ledger = undefined;
      proposed = new Set();
      seenRequests = 0;
      seenAccepted = new Map();
      applied = [];
    },
    {
      // Recorded values are never changed in place, so the copies share them; only the containers are copied.
      // `byKey` is left out: it only grows, and equal keys name equal commands.
      save: () => ({ ledger: ledger?.copy(), proposed: new Set(proposed), seenRequests, seenAccepted: copyAccepted(seenAccepted), applied: applied.slice() }),
      restore: (saved) => {
        const m = saved as { ledger: BallotLedger<string> | undefined; proposed: Set<string>; seenRequests: number; seenAccepted: Map<NodeId, Map<number, SlotAccepted>>; applied: Array<{ key: string; by: NodeId }> };
        ledger = m.ledger?.copy();
        proposed = new Set(m.proposed);
        seenRequests = m.seenRequests;
        seenAccepted = copyAccepted(m.seenAccepted);
        applied = m.applied.slice();
      },
    },
    noteRequests,
  );
}

const copyAccepted = (m: ReadonlyMap<NodeId, ReadonlyMap<number, SlotAccepted>>) => new Map([...m].map(([id, slots]) => [id, new Map(slots)] as const));
