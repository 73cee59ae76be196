// Corpus, exercise 8: a buggy solution: the majority is half the members rounded up.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "counts a majority as ceil(n / 2): with four (or six) servers half of them is not a majority, so two leaders' quorums need not overlap" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  for (let n = leader.log.lastIndex; n > leader.commitIndex; n--) {
    if (leader.log.termAt(n) !== leader.currentTerm) continue;
    let count = 0;
    for (const m of leader.members) if (leader.matchIndex(m) >= n) count++;
    if (count >= Math.ceil(leader.members.length / 2)) return n;
  }
  return leader.commitIndex;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: true };
}
