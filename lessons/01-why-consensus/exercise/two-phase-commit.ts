// Exercise 1: two-phase commit's commit decision and a participant's recovery. Write both, then run `npm run grade 1`.

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";

/**
 * The coordinator's decision rule (two-phase commit, Gray 1978): given the votes received so far (participant
 * id to yes/no), the list of participants, and whether the vote time-out has expired, return
 * - "commit" only when every participant has voted yes,
 * - "abort" as soon as any participant has voted no, or when the time-out expired before every vote came in,
 * - undefined to keep waiting.
 */
export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  throw new Error("TODO: decide (the two-phase commit decision rule)");
}

/**
 * A participant restarting after a crash, for one transaction, from its durable state only:
 * - "working" (it never voted yes): the coordinator cannot have committed without its vote, so it may abort alone;
 * - "prepared" (it voted yes): it is in doubt and must not decide alone: keep the state and ask the coordinator;
 * - "committed" / "aborted": the outcome is known; nothing to do.
 * Return the state to continue with and the action to take ("none" or "ask-coordinator").
 */
export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  throw new Error("TODO: recover (a participant's recovery rule)");
}
