// Bookkeeping shared by the Paxos checkers: every accept ever seen, per instance and proposal number.

import type { NodeId, Violation } from "@course/sim";
import { compareBallots, formatBallot, majority, maxBallot, type Ballot } from "@course/paxos";

/**
 * Remembers, across crashes, what each acceptor promised and accepted, and from that which value each
 * instance (a Basic Paxos run, or one Multi-Paxos slot) has chosen. "Chosen" follows Paxos Made Simple §2.2:
 * a majority of acceptors (or `quorum` of them, for a cluster configured with other phase-2 quorums) accepted
 * the same proposal number, even if some later accepted something else.
 */
export class BallotLedger<V> {
  private readonly highestPromise = new Map<NodeId, Ballot>();
  private readonly valueOfBallot = new Map<string, { v: V; acceptor: NodeId }>();
  private readonly votersOfBallot = new Map<string, Set<NodeId>>();
  private readonly chosenValue = new Map<number, { v: V; n: Ballot }>();

  constructor(
    clusterSize: number,
    private readonly show: (v: V) => string,
    private readonly wasProposed: (v: V) => boolean,
    private readonly quorum: number = majority(clusterSize),
  ) {}

  /** An acceptor's promise as read from its state; promises only ever go up in a correct acceptor. */
  notePromise(acceptor: NodeId, promised: Ballot | undefined): void {
    const best = maxBallot(this.highestPromise.get(acceptor), promised);
    if (best !== undefined) this.highestPromise.set(acceptor, best);
  }

  /** An accept read from an acceptor's state. Returns the first rule it breaks, if any. */
  noteAccept(acceptor: NodeId, instance: number, n: Ballot, v: V, where: string): Violation | undefined {
    const promised = this.highestPromise.get(acceptor);
    if (promised !== undefined && compareBallots(n, promised) < 0) {
      return {
        checker: "Paxos: no accept below a promise",
        message: `acceptor ${acceptor} accepted n=${formatBallot(n)}${where} after promising n=${formatBallot(promised)}`,
        details: { acceptor, instance, accepted: n, promised },
      };
    }
    const key = `${instance}/${formatBallot(n)}`;
    const first = this.valueOfBallot.get(key);
    if (first === undefined) this.valueOfBallot.set(key, { v, acceptor });
    else if (first.v !== v) {
      return {
        checker: "Paxos: one value per ballot",
        message: `n=${formatBallot(n)}${where} carries two values: acceptor ${first.acceptor} accepted ${this.show(first.v)}, acceptor ${acceptor} accepted ${this.show(v)}`,
        details: { instance, ballot: n, values: [first.v, v] },
      };
    }
    const voters = this.votersOfBallot.get(key) ?? new Set<NodeId>();
    voters.add(acceptor);
    this.votersOfBallot.set(key, voters);
    if (voters.size < this.quorum) return undefined;
    const chosen = this.chosenValue.get(instance);
    if (chosen === undefined) {
      if (!this.wasProposed(v)) {
        return { checker: "Paxos: only a proposed value is chosen", message: `${this.show(v)} was chosen${where} but no client proposed it`, details: { instance, value: v } };
      }
      this.chosenValue.set(instance, { v, n });
    } else if (chosen.v !== v) {
      return {
        checker: "Paxos: at most one value chosen",
        message: `two values chosen${where}: ${this.show(chosen.v)} at n=${formatBallot(chosen.n)} and ${this.show(v)} at n=${formatBallot(n)} (accepted by ${[...voters].sort((a, b) => a - b).join(", ")})`,
        details: { instance, first: chosen, second: { v, n } },
      };
    }
    return undefined;
  }

  /** An independent copy with the same memory (simulation checkpoints); the recorded values are shared, never changed. */
  copy(): BallotLedger<V> {
    const c = new BallotLedger<V>(0, this.show, this.wasProposed, this.quorum);
    for (const [k, v] of this.highestPromise) c.highestPromise.set(k, v);
    for (const [k, v] of this.valueOfBallot) c.valueOfBallot.set(k, v);
    for (const [k, v] of this.votersOfBallot) c.votersOfBallot.set(k, new Set(v));
    for (const [k, v] of this.chosenValue) c.chosenValue.set(k, v);
    return c;
  }

  chosen(instance: number): V | undefined {
    return this.chosenValue.get(instance)?.v;
  }

  isChosen(instance: number): boolean {
    return this.chosenValue.has(instance);
  }
}

/** The value a node makes of a client op: strings as they are, anything else as JSON. */
export function opValue(op: unknown): string {
  return typeof op === "string" ? op : JSON.stringify(op);
}
