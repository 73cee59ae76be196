// Corpus, exercise 3: a buggy solution that adopts an accepted value only when most promises report one.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "keeps its own value unless most promises report an accepted proposal, but a value accepted by a single member of this majority may already be chosen" };

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  const reported = promises.filter((p) => p.accepted !== undefined);
  if (reported.length * 2 <= promises.length) return ownValue;
  let best: Accepted | undefined;
  for (const p of reported) if (best === undefined || compareBallots(p.accepted?.n, best.n) > 0) best = p.accepted;
  return best?.v ?? ownValue;
}

export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  const highest = Math.max(round, ...rejections.map((r) => r.round));
  return { round: highest + 1, node: nodeId };
}
