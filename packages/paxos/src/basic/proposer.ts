// The proposer's rules (Paxos Made Simple §2.2, phases 1a and 2a) as pure functions.

import { compareBallots, type Ballot } from "../ballot.js";
import type { NodeId } from "@course/sim";
import type { Accepted, Value } from "./messages.js";

/**
 * Phase 2a: the value to send with accept. If any promise reports an accepted proposal, the proposer must
 * adopt the value of the highest-numbered one (it may already be chosen); only when none does is it free to
 * propose its own value.
 */
export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  let best: Accepted | undefined;
  for (const p of promises) {
    if (p.accepted !== undefined && (best === undefined || compareBallots(p.accepted.n, best.n) > 0)) best = p.accepted;
  }
  return best === undefined ? ownValue : best.v;
}

/**
 * Phase 1a: the next proposal number. It must be above every number this proposer has used (`round`) and
 * above the promises that refused it (`rejections`, from nacks), and it carries the proposer's id so that no
 * other proposer can ever use the same number.
 */
export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  let highest = round;
  for (const r of rejections) highest = Math.max(highest, r.round);
  return { round: highest + 1, node: nodeId };
}
