// Corpus, exercise 3: a correct solution that numbers rounds in steps of ten and sorts a copy of the promises.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "jumps to the next multiple of ten above every round seen; picks the value after sorting a copy of the promises by ballot" };

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  const reported = promises.flatMap((p) => (p.accepted === undefined ? [] : [p.accepted]));
  const sorted = [...reported].sort((a, b) => compareBallots(b.n, a.n));
  return sorted.length > 0 ? (sorted[0] as Accepted).v : ownValue;
}

export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  const highest = rejections.reduce((m, r) => Math.max(m, r.round), round);
  return { round: (Math.floor(highest / 10) + 1) * 10, node: nodeId };
}
