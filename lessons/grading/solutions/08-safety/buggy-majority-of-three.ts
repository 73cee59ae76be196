// Corpus, exercise 8: a buggy solution: the majority is hard-coded for five servers.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "commits once three servers hold an entry: in a seven-server cluster three is a minority (a committed entry can be lost), in a three-server cluster nothing commits while one server is down" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  for (let n = leader.log.lastIndex; n > leader.commitIndex; n--) {
    if (leader.log.termAt(n) !== leader.currentTerm) continue;
    let count = 0;
    for (const m of leader.members) if (leader.matchIndex(m) >= n) count++;
    if (count >= 3) return n;
  }
  return leader.commitIndex;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: true };
}
