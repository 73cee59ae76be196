// Corpus, exercise 5: a buggy solution: a refused candidate is written down as the vote.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "a refusal for a stale log still sets votedFor to that candidate, so the voter then refuses the up-to-date candidate of the term" };

function upToDate(voter: VoterState, req: RequestVote): boolean {
  if (req.lastLogTerm !== voter.lastLogTerm) return req.lastLogTerm > voter.lastLogTerm;
  return req.lastLogIndex >= voter.lastLogIndex;
}

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
  const free = voter.votedFor === null || voter.votedFor === req.candidateId;
  if (!free) return { voteGranted: false, votedFor: voter.votedFor };
  return { voteGranted: upToDate(voter, req), votedFor: req.candidateId };
}
