// Proposal numbers (ballots): a round plus the proposer's node id, so no two proposers ever share one.

import type { NodeId } from "@course/sim";

/**
 * A proposal number. Paxos Made Simple §2.2 asks that "different proposers choose their numbers from disjoint
 * sets": pairing a round with the proposer's id does that, and rounds are compared first.
 */
export interface Ballot {
  readonly round: number;
  readonly node: NodeId;
}

/** Negative, zero or positive as `a` is below, equal to or above `b`; an absent ballot is below every ballot. */
export function compareBallots(a: Ballot | undefined, b: Ballot | undefined): number {
  if (a === undefined || b === undefined) return (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
  return a.round !== b.round ? a.round - b.round : a.node - b.node;
}

export function sameBallot(a: Ballot | undefined, b: Ballot | undefined): boolean {
  return compareBallots(a, b) === 0;
}

export function maxBallot(a: Ballot | undefined, b: Ballot | undefined): Ballot | undefined {
  return compareBallots(a, b) >= 0 ? a : b;
}

/** "1.2" reads as round 1 of proposer 2. */
export function formatBallot(b: Ballot | undefined): string {
  return b === undefined ? "none" : `${b.round}.${b.node}`;
}
