// Corpus, exercise 3: a buggy solution that numbers the next round from its own last round only.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "ignores the refusals: after a nack it tries round + 1, which may still be below the promise that refused it, and is refused again" };

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  let best: Accepted | undefined;
  for (const p of promises) if (p.accepted && (best === undefined || compareBallots(p.accepted.n, best.n) > 0)) best = p.accepted;
  return best?.v ?? ownValue;
}

export function nextProposalNumber(_rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  return { round: round + 1, node: nodeId };
}
