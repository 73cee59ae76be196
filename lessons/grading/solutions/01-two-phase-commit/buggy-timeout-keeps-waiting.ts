// Corpus, exercise 1: a buggy solution that ignores the time-out, so a coordinator whose participant crashed waits forever.

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "never aborts at the time-out: a participant that crashed before voting blocks the transaction forever" };

export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], _timedOut: boolean): Decision | undefined {
  for (const v of votes.values()) if (!v) return "abort";
  return participants.every((p) => votes.get(p) === true) ? "commit" : undefined;
}

export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  if (state === "working") return { state: "aborted", action: "none" };
  if (state === "prepared") return { state, action: "ask-coordinator" };
  return { state, action: "none" };
}
