// Exercise 3: the proposer's two rules that keep Paxos safe and moving through failures. Then run `npm run grade 3`.

import type { NodeId } from "@course/sim";
import { compareBallots, type Accepted, type Ballot, type Value } from "@course/paxos";

// compareBallots(a, b) is negative, zero or positive as a is below, equal to or above b.

/**
 * Phase 2a, Paxos Made Simple §2.2: a proposer that holds promises from a majority picks the value to send
 * with accept. If any promise reports an accepted proposal (`accepted: { n, v }`), it must adopt the value of
 * the highest-numbered one among them, because that value may already be chosen. It proposes its own value
 * exactly when no promise reports one.
 */
export function chooseValue(promises: readonly { readonly accepted?: Accepted }[], ownValue: Value): Value {
  throw new Error("TODO: chooseValue (Paxos Made Simple §2.2, phase 2a)");
}

/**
 * Phase 1a, Paxos Made Simple §2.2 and §2.3: the number of a new round. It must be above every round this
 * proposer has used (`round`, kept on disk) and above every promise that refused it (`rejections`, from
 * nacks), and it must carry the proposer's own id (`{ round, node: nodeId }`) so that no two proposers ever
 * use the same number. Any number with these three properties is right: the simplest is one round above the
 * highest round seen, but a bigger step, or the same round as a refusal from a lower node id, works too.
 */
export function nextProposalNumber(rejections: readonly Ballot[], round: number, nodeId: NodeId): Ballot {
  throw new Error("TODO: nextProposalNumber (Paxos Made Simple §2.2-2.3, phase 1a)");
}
