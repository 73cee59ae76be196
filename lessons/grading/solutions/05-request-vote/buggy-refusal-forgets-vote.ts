// Corpus, exercise 5: a buggy solution: a refusal clears votedFor.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "a refusal returns votedFor: null, so the vote already given in this term is forgotten and can be given again" };

function upToDate(voter: VoterState, req: RequestVote): boolean {
  if (req.lastLogTerm !== voter.lastLogTerm) return req.lastLogTerm > voter.lastLogTerm;
  return req.lastLogIndex >= voter.lastLogIndex;
}

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: null };
  const free = voter.votedFor === null || voter.votedFor === req.candidateId;
  if (free && upToDate(voter, req)) return { voteGranted: true, votedFor: req.candidateId };
  return { voteGranted: false, votedFor: null };
}
