// Corpus, exercise 1: a buggy solution that commits on a majority of yes votes, as if 2PC were a quorum protocol.

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "commits once more than half the participants voted yes: the missing one may vote no and abort alone" };

export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  if ([...votes.values()].some((v) => !v)) return "abort";
  if (votes.size > participants.length / 2) return "commit";
  return timedOut ? "abort" : undefined;
}

export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  if (state === "working") return { state: "aborted", action: "none" };
  if (state === "prepared") return { state, action: "ask-coordinator" };
  return { state, action: "none" };
}
