// Corpus, exercise 1: a correct solution that tests for unanimity before looking for a no vote.

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "checks 'every participant said yes' first: with all yes votes in, no participant can have said no" };

export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  if (participants.every((p) => votes.get(p))) return "commit";
  for (const p of participants) if (votes.get(p) === false) return "abort";
  return timedOut ? "abort" : undefined;
}

export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  if (state === "prepared") return { state, action: "ask-coordinator" };
  return { state: state === "working" ? "aborted" : state, action: "none" };
}
