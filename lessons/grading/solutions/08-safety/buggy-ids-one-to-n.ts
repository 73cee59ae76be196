// Corpus, exercise 8: a buggy solution: servers are assumed to be numbered 1 to n.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "counts matchIndex(id) for id = 1..n instead of the members' ids: in a cluster of servers 0..n-1, server 0 is never counted and a server n that does not exist is" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  const size = leader.members.length;
  for (let n = leader.log.lastIndex; n > leader.commitIndex; n--) {
    if (leader.log.termAt(n) !== leader.currentTerm) continue;
    let count = 0;
    for (let id = 1; id <= size; id++) if (leader.matchIndex(id) >= n) count++;
    if (count > size / 2) return n;
  }
  return leader.commitIndex;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: true };
}
