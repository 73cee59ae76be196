// Corpus, exercise 1: a buggy solution that commits at the time-out when every vote that did arrive was yes.

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "at the time-out it commits if no received vote was no, treating a silent participant (maybe crashed before preparing) as a yes" };

export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  const received = [...votes.values()];
  if (received.includes(false)) return "abort";
  if (received.length === participants.length || (timedOut && received.length > 0)) return "commit";
  return timedOut ? "abort" : undefined;
}

export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  if (state === "working") return { state: "aborted", action: "none" };
  if (state === "prepared") return { state, action: "ask-coordinator" };
  return { state, action: "none" };
}
