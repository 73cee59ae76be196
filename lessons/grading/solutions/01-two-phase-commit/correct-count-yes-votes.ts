// Corpus, exercise 1: a correct solution that counts yes votes participant by participant and recovers with a switch.

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "walks the participant list counting yes votes instead of scanning the vote map first" };

export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  let yes = 0;
  for (const p of participants) {
    const vote = votes.get(p);
    if (vote === false) return "abort";
    if (vote === true) yes++;
  }
  if (yes === participants.length) return "commit";
  return timedOut ? "abort" : undefined;
}

export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  switch (state) {
    case "working":
      return { state: "aborted", action: "none" };
    case "prepared":
      return { state: "prepared", action: "ask-coordinator" };
    default:
      return { state, action: "none" };
  }
}
