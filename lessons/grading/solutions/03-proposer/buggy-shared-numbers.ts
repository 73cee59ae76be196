// Corpus, exercise 3: a buggy solution whose ballots do not carry the proposer's id.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "puts node 0 in every ballot, so two proposers in the same situation use the same proposal number" };

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  let best: Accepted | undefined;
  for (const p of promises) if (p.accepted && (best === undefined || compareBallots(p.accepted.n, best.n) > 0)) best = p.accepted;
  return best?.v ?? ownValue;
}

export function nextProposalNumber(rejections: readonly Ballot[], round: number, _nodeId: NodeId): Ballot {
  const highest = Math.max(round, ...rejections.map((r) => r.round));
  return { round: highest + 1, node: 0 };
}
