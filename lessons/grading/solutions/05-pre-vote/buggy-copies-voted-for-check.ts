// Corpus, exercise 5b: a buggy solution: it copies RequestVote's votedFor check.

import { isLogUpToDate, type PreVote, type VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "refuses when votedFor (the vote of the voter's current term) names someone else: once the leader every follower voted for dies for good, nobody grants a pre-vote and no leader is ever elected again" };

export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  if (req.term <= voter.currentTerm || voter.leaderRecentlyHeard) return false;
  if (voter.votedFor !== null && voter.votedFor !== req.candidateId) return false;
  return isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex);
}
