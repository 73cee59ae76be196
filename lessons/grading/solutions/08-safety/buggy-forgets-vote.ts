// Corpus, exercise 8: a buggy solution: votedFor is not written.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "writes only currentTerm: after a crash the server reads no vote back and can vote twice in one term" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  const n = quorumIndex(leader.members, leader.matchIndex);
  return n > leader.commitIndex && leader.log.termAt(n) === leader.currentTerm ? n : leader.commitIndex;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm }, persistLog: true };
}
