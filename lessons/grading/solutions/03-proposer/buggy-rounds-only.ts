// Corpus, exercise 3: a buggy solution that compares accepted proposals by round only.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "compares accepted proposals by round alone, so between two with the same round it keeps whichever came first instead of the higher node id" };

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  let best: Accepted | undefined;
  for (const p of promises) if (p.accepted && (best === undefined || p.accepted.n.round > best.n.round)) best = p.accepted;
  return best?.v ?? ownValue;
}

export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  const highest = Math.max(round, ...rejections.map((r) => r.round));
  return { round: highest + 1, node: nodeId };
}
