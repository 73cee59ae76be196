// Corpus, exercise 3: a buggy attempt at the smallest higher ballot that gets the tie with an equal node id wrong.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = {
  correct: false,
  why: "stays in a refusal's round when the refusing ballot's node id is at or below its own, so a refusal naming its own id (a ballot it used before a crash lost its round) gets that same number back",
};

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  let best: Accepted | undefined;
  for (const p of promises) if (p.accepted && (best === undefined || compareBallots(p.accepted.n, best.n) > 0)) best = p.accepted;
  return best?.v ?? ownValue;
}

export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  let next = round + 1;
  for (const r of rejections) next = Math.max(next, r.node <= nodeId ? r.round : r.round + 1);
  return { round: next, node: nodeId };
}
