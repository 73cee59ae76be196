// Exercise 1: two-phase commit's commit decision and a participant's recovery. Write both, then run `npm run grade 1`.

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";

/**
 * The coordinator's decision rule (two-phase commit, Gray 1978): given the votes received so far (participant
 * id to yes/no), the list of participants, and whether the vote time-out has expired, return
 * - "commit" exactly when every participant in `participants` has voted yes (a transaction may have two
 *   participants or six: count against the list, not a fixed number),
 * - otherwise "abort" as soon as any participant has voted no, or once the time-out has expired,
 * - otherwise undefined: keep waiting.
 */
export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  throw new Error("TODO: decide (the two-phase commit decision rule)");
}

/**
 * A participant restarting after a crash, for one transaction, from its durable state only:
 * - "working" (it never voted yes): it may abort alone. The coordinator commits only once every participant has
 *   voted yes, and this one has not; its unfinished work was lost in the crash, so from now on it answers a
 *   prepare for this transaction with no, and the transaction can only abort everywhere;
 * - "prepared" (it voted yes): it is in doubt and must not decide alone: keep the state and ask the coordinator;
 * - "committed" / "aborted": the outcome is known; nothing to do.
 * Return the state to continue with and the action to take ("none" or "ask-coordinator").
 */
export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  throw new Error("TODO: recover (a participant's recovery rule)");
}
