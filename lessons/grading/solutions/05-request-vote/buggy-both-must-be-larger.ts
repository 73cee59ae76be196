// Corpus, exercise 5: a buggy solution: up-to-date needs both a later term and a longer log.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "requires the candidate's last term AND length to be at least the voter's: a shorter log with a newer last term is refused" };

function upToDate(voter: VoterState, req: RequestVote): boolean {
  if (req.lastLogTerm !== voter.lastLogTerm) return req.lastLogTerm > voter.lastLogTerm;
  return req.lastLogIndex >= voter.lastLogIndex;
}

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
  const free = voter.votedFor === null || voter.votedFor === req.candidateId;
  if (free && req.lastLogTerm >= voter.lastLogTerm && req.lastLogIndex >= voter.lastLogIndex) return { voteGranted: true, votedFor: req.candidateId };
  return { voteGranted: false, votedFor: voter.votedFor };
}
