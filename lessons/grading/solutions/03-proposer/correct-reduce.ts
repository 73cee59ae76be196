// Corpus, exercise 3: a correct solution written with reduce.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "reduces over the promises and the refusals instead of looping; returns the same values as the reference" };

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  const best = promises.reduce<Accepted | undefined>((acc, p) => (p.accepted !== undefined && (acc === undefined || compareBallots(p.accepted.n, acc.n) > 0) ? p.accepted : acc), undefined);
  return best === undefined ? ownValue : best.v;
}

export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  return { round: rejections.reduce((m, r) => (r.round > m ? r.round : m), round) + 1, node: nodeId };
}
