// Corpus, exercise 1: a buggy solution whose participant stays working after a restart and asks the coordinator.

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = {
  correct: false,
  why: "a participant that restarts before voting keeps 'working' and asks the coordinator, although its unfinished work was lost in the crash and it may abort alone",
};

export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  for (const v of votes.values()) if (!v) return "abort";
  if (participants.every((p) => votes.get(p) === true)) return "commit";
  return timedOut ? "abort" : undefined;
}

export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  if (state === "working" || state === "prepared") return { state, action: "ask-coordinator" };
  return { state, action: "none" };
}
