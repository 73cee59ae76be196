// Corpus, exercise 8: a correct solution that sorts the match indices and omits a null vote.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "takes the majority-th highest match index from a sorted list; writes votedFor only when there is a vote (storage reads a missing vote back as null)" };

export function advanceCommitIndex(leader: LeaderCommitState): number {
  const matches = leader.members.map((m) => leader.matchIndex(m)).sort((a, b) => b - a);
  const majority = Math.floor(leader.members.length / 2) + 1;
  const n = matches[majority - 1] ?? 0;
  if (n > leader.commitIndex && leader.log.termAt(n) === leader.currentTerm) return n;
  return leader.commitIndex;
}

export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  if (state.votedFor === null) return { hardState: { currentTerm: state.currentTerm }, persistLog: true };
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: true };
}
