// Corpus, exercise 5: a buggy solution: requests of the voter's own term are refused.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "refuses unless req.term > currentTerm; the voter's term was already raised to the request's, so every vote is refused" };

function upToDate(voter: VoterState, req: RequestVote): boolean {
  if (req.lastLogTerm !== voter.lastLogTerm) return req.lastLogTerm > voter.lastLogTerm;
  return req.lastLogIndex >= voter.lastLogIndex;
}

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term <= voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
  const free = voter.votedFor === null || voter.votedFor === req.candidateId;
  if (free && upToDate(voter, req)) return { voteGranted: true, votedFor: req.candidateId };
  return { voteGranted: false, votedFor: voter.votedFor };
}
