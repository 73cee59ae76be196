// Corpus, exercise 8: a correct solution that scans up from the commit index and writes an undefined vote.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "walks N upward and keeps the highest current-term N a majority holds; writes votedFor: undefined for no vote, which storage reads back as null" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  let best = leader.commitIndex;
  for (let n = leader.commitIndex + 1; n <= leader.log.lastIndex; n++) {
    let count = 0;
    for (const m of leader.members) if (leader.matchIndex(m) >= n) count++;
    if (count <= leader.members.length / 2) break;
    if (leader.log.termAt(n) === leader.currentTerm) best = n;
  }
  return best;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor ?? undefined }, persistLog: true };
}
