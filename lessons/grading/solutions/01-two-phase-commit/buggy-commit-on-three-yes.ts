// Corpus, exercise 1: a buggy solution that commits once three yes votes are in (the size of the example cluster).

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = {
  correct: false,
  why: "counts yes votes against a hard-coded 3 instead of the participant list: with four participants it commits while one may still vote no, with two it never commits",
};

export function decide(votes: ReadonlyMap<NodeId, boolean>, _participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  let yes = 0;
  for (const v of votes.values()) {
    if (!v) return "abort";
    yes++;
  }
  if (yes >= 3) return "commit";
  return timedOut ? "abort" : undefined;
}

export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  if (state === "working") return { state: "aborted", action: "none" };
  if (state === "prepared") return { state, action: "ask-coordinator" };
  return { state, action: "none" };
}
