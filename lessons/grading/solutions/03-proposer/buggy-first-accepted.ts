// Corpus, exercise 3: a buggy solution that adopts the first accepted value it finds among the promises.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "adopts the first reported accepted value instead of the highest-numbered one, which may be the chosen value" };

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  for (const p of promises) if (p.accepted !== undefined) return p.accepted.v;
  return ownValue;
}

export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  const highest = Math.max(round, ...rejections.map((r) => r.round));
  return { round: highest + 1, node: nodeId };
}
