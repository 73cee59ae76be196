// Corpus, exercise 8: a correct solution that scans down from the end of the log counting replicas.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "tries N from the last index down to commitIndex + 1 and commits the first current-term N a majority holds; spreads the state into hardState" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  for (let n = leader.log.lastIndex; n > leader.commitIndex; n--) {
    if (leader.log.termAt(n) !== leader.currentTerm) continue;
    const holders = leader.members.filter((m) => leader.matchIndex(m) >= n).length;
    if (2 * holders > leader.members.length) return n;
  }
  return leader.commitIndex;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { persistLog: true, hardState: { ...state } };
}
