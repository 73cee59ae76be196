// Corpus, exercise 1: a buggy solution that waits for every vote (or the time-out) even after a no.

import type { NodeId } from "@course/sim";
import type { Decision, ParticipantTxnState, RecoveryAction } from "@course/twopc";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "a single no vote does not abort at once: the decision waits for every vote or the time-out, holding every participant's locks for nothing" };

export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  const allIn = participants.every((p) => votes.has(p));
  if (!allIn) return timedOut ? "abort" : undefined;
  return participants.every((p) => votes.get(p)) ? "commit" : "abort";
}

export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  if (state === "working") return { state: "aborted", action: "none" };
  if (state === "prepared") return { state, action: "ask-coordinator" };
  return { state, action: "none" };
}
