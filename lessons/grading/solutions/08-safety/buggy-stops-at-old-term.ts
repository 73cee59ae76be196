// Corpus, exercise 8: a buggy solution: the upward scan stops at the first old-term entry.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "scans up from commitIndex + 1 and stops at the first entry that is not of the current term, so old-term entries before the leader's first entry block every commit" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  let best = leader.commitIndex;
  for (let n = leader.commitIndex + 1; n <= leader.log.lastIndex; n++) {
    if (leader.log.termAt(n) !== leader.currentTerm) break;
    if (leader.members.filter((m) => leader.matchIndex(m) >= n).length * 2 > leader.members.length) best = n;
  }
  return best;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: true };
}
