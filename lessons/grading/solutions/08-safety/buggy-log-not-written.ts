// Corpus, exercise 8: a buggy solution: log entries are acknowledged before they are on disk.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "persistLog false: a crash forgets entries the leader already counted toward commit" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  const n = quorumIndex(leader.members, leader.matchIndex);
  return n > leader.commitIndex && leader.log.termAt(n) === leader.currentTerm ? n : leader.commitIndex;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: false };
}
