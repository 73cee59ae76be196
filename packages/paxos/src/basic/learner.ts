// The learner's rule (Paxos Made Simple §2.3): a value is chosen once a majority accepted the same proposal.

import type { NodeId } from "@course/sim";
import { formatBallot } from "../ballot.js";
import { isMajority } from "../quorum.js";
import type { AcceptedMsg, Value } from "./messages.js";

/** Which acceptors have said "accepted" for each proposal number (keyed by formatBallot). */
export type AcceptedTally = Readonly<Record<string, readonly NodeId[]>>;

/**
 * A tally with each ballot's voters in id order, node ids passed through `rename`: for state encodings, since
 * the order accepted messages arrived in changes nothing a learner does later.
 */
export function canonicalTally(tally: AcceptedTally, rename: (id: NodeId) => NodeId = (id) => id): AcceptedTally {
  const out: Record<string, readonly NodeId[]> = {};
  for (const [n, voters] of Object.entries(tally)) out[n] = voters.map(rename).sort((a, b) => a - b);
  return out;
}

export interface LearnStep {
  readonly tally: AcceptedTally;
  /** Set when this message completes a majority for one proposal number. */
  readonly chosen?: Value;
  /** How many acceptors have accepted this message's proposal number so far. */
  readonly count: number;
}

/** Count one acceptor's "accepted" message; a duplicate from the same acceptor does not count twice. */
export function learnFromAccepted(tally: AcceptedTally, from: NodeId, msg: AcceptedMsg, clusterSize: number): LearnStep {
  const key = formatBallot(msg.n);
  const voters = tally[key] ?? [];
  if (voters.includes(from)) return { tally, count: voters.length };
  const next = [...voters, from];
  const updated = { ...tally, [key]: next };
  return isMajority(next.length, clusterSize) ? { tally: updated, chosen: msg.v, count: next.length } : { tally: updated, count: next.length };
}
