// Corpus, exercise 5: a buggy solution: a retransmitted request from the same candidate is refused.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "grants only when votedFor is null, so a candidate whose grant was lost is refused on the retry and its election stalls" };

function upToDate(voter: VoterState, req: RequestVote): boolean {
  if (req.lastLogTerm !== voter.lastLogTerm) return req.lastLogTerm > voter.lastLogTerm;
  return req.lastLogIndex >= voter.lastLogIndex;
}

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
  if (voter.votedFor === null && upToDate(voter, req)) return { voteGranted: true, votedFor: req.candidateId };
  return { voteGranted: false, votedFor: voter.votedFor };
}
