// Corpus, exercise 5: a buggy solution: a vote for server 0 looks like no vote.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "tests votedFor for truthiness, so a vote for server 0 counts as no vote and a second candidate of the term is granted too: two leaders in one term" };

function upToDate(voter: VoterState, req: RequestVote): boolean {
  if (req.lastLogTerm !== voter.lastLogTerm) return req.lastLogTerm > voter.lastLogTerm;
  return req.lastLogIndex >= voter.lastLogIndex;
}

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
  if ((!voter.votedFor || voter.votedFor === req.candidateId) && upToDate(voter, req)) return { voteGranted: true, votedFor: req.candidateId };
  return { voteGranted: false, votedFor: voter.votedFor };
}
