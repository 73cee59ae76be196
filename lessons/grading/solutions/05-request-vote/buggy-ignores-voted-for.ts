// Corpus, exercise 5: a buggy solution: every up-to-date candidate of the term gets the vote.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "never looks at votedFor: two candidates of one term can both collect this vote and both win" };

function upToDate(voter: VoterState, req: RequestVote): boolean {
  if (req.lastLogTerm !== voter.lastLogTerm) return req.lastLogTerm > voter.lastLogTerm;
  return req.lastLogIndex >= voter.lastLogIndex;
}

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm || !upToDate(voter, req)) return { voteGranted: false, votedFor: voter.votedFor };
  return { voteGranted: true, votedFor: req.candidateId };
}
