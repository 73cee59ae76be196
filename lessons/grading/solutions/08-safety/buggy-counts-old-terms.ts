// Corpus, exercise 8: a buggy solution: entries of any term are committed by counting.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "the naive rule of Figure 8: an old-term entry on a majority is committed and can later be overwritten" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  return Math.max(leader.commitIndex, quorumIndex(leader.members, leader.matchIndex));
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: true };
}
