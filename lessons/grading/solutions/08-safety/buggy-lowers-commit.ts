// Corpus, exercise 8: a buggy solution: the commit index follows the match indices down.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "returns the majority's index even when it is below the commit index: right after an election the commit index goes back" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  const n = quorumIndex(leader.members, leader.matchIndex);
  return leader.log.termAt(n) === leader.currentTerm ? n : leader.commitIndex;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: true };
}
