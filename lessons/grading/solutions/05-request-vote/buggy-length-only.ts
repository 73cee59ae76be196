// Corpus, exercise 5: a buggy solution: the log comparison looks at lengths only.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "decides up-to-date by log length alone: a longer log of older terms wins and can erase committed entries" };

function upToDate(voter: VoterState, req: RequestVote): boolean {
  if (req.lastLogTerm !== voter.lastLogTerm) return req.lastLogTerm > voter.lastLogTerm;
  return req.lastLogIndex >= voter.lastLogIndex;
}

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
  const free = voter.votedFor === null || voter.votedFor === req.candidateId;
  if (free && req.lastLogIndex >= voter.lastLogIndex) return { voteGranted: true, votedFor: req.candidateId };
  return { voteGranted: false, votedFor: voter.votedFor };
}
