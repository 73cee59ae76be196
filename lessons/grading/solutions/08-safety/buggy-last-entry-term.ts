// Corpus, exercise 8: a buggy solution: the current-term test looks at the last entry, not at entry N.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "checks log.lastTerm === currentTerm instead of the term of entry N, so once the leader appends an entry of its own term an old-term entry on a majority is committed by counting (Figure 8)" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  const n = quorumIndex(leader.members, leader.matchIndex);
  return n > leader.commitIndex && leader.log.lastTerm === leader.currentTerm ? n : leader.commitIndex;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: true };
}
