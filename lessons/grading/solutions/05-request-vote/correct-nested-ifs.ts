// Corpus, exercise 5: a correct solution written as nested ifs with the up-to-date check in a helper.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "the same rule as nested ifs, with §5.4.1 in a helper of its own" };

function upToDate(voter: VoterState, req: RequestVote): boolean {
  if (req.lastLogTerm !== voter.lastLogTerm) return req.lastLogTerm > voter.lastLogTerm;
  return req.lastLogIndex >= voter.lastLogIndex;
}

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term >= voter.currentTerm) {
    if (voter.votedFor === null || voter.votedFor === req.candidateId) {
      if (upToDate(voter, req)) return { voteGranted: true, votedFor: req.candidateId };
    }
  }
  return { voteGranted: false, votedFor: voter.votedFor };
}
