// Corpus, exercise 3: a buggy solution that only steps past the refusals, not past its own round.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "returns { round: max(round, refusals), node } without + 1 when nothing refused it higher, so it reuses the number it last used (two values with one number after a restart)" };

export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  let best: Accepted | undefined;
  for (const p of promises) if (p.accepted && (best === undefined || compareBallots(p.accepted.n, best.n) > 0)) best = p.accepted;
  return best?.v ?? ownValue;
}

export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  let next = Math.max(round, 1);
  for (const r of rejections) if (r.round >= next) next = r.round + 1;
  return { round: next, node: nodeId };
}
