// Corpus, exercise 3: a correct solution that picks the smallest ballot above its own rounds and every refusal.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = {
  correct: true,
  why: "a refusal {r, n'} with n' below this proposer's id is beaten by {r, id} already, so it may reuse round r instead of r + 1: unique, carries the id, above every refusal",
};

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  let best: Accepted | undefined;
  for (const p of promises) if (p.accepted && (best === undefined || compareBallots(p.accepted.n, best.n) > 0)) best = p.accepted;
  return best?.v ?? ownValue;
}

export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  let next = round + 1;
  for (const r of rejections) next = Math.max(next, r.node < nodeId ? r.round : r.round + 1);
  return { round: next, node: nodeId };
}
