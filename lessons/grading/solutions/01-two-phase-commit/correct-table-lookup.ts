// Corpus, exercise 1: a correct solution that uses array helpers for the decision and a lookup table for recovery.

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "decides with includes/every and recovers from a table, returning fresh objects" };

export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  if ([...votes.values()].includes(false)) return "abort";
  const allYes = participants.every((p) => votes.get(p) === true);
  if (allYes) return "commit";
  if (timedOut) return "abort";
  return undefined;
}

const AFTER_RESTART: Record<ParticipantTxnState, { state: ParticipantTxnState; action: RecoveryAction }> = {
  working: { state: "aborted", action: "none" },
  prepared: { state: "prepared", action: "ask-coordinator" },
  committed: { state: "committed", action: "none" },
  aborted: { state: "aborted", action: "none" },
};

export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  return { ...AFTER_RESTART[state] };
}
