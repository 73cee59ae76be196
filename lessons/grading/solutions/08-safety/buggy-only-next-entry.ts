// Corpus, exercise 8: a buggy solution: only the entry right after the commit index is considered.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "looks only at commitIndex + 1, so a commit index behind by several entries advances one entry per reply, and never past an old-term entry" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  const n = leader.commitIndex + 1;
  const holders = leader.members.filter((m) => leader.matchIndex(m) >= n).length;
  return n <= leader.log.lastIndex && holders * 2 > leader.members.length && leader.log.termAt(n) === leader.currentTerm ? n : leader.commitIndex;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: true };
}
