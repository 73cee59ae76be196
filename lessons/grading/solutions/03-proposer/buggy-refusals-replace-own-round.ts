// Corpus, exercise 3: a buggy solution that uses the refusals instead of its own round whenever there are any.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "with refusals it numbers from the highest refusal alone, so a refusal below its own round makes it reuse a number it already used" };

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  let best: Accepted | undefined;
  for (const p of promises) if (p.accepted && (best === undefined || compareBallots(p.accepted.n, best.n) > 0)) best = p.accepted;
  return best?.v ?? ownValue;
}

export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  if (rejections.length === 0) return { round: round + 1, node: nodeId };
  return { round: Math.max(...rejections.map((r) => r.round)) + 1, node: nodeId };
}
