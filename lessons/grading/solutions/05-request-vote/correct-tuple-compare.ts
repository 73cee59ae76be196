// Corpus, exercise 5: a correct solution that compares (last term, last index) as a pair.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "compares [lastLogTerm, lastLogIndex] lexicographically; returns the decision as one object" };

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  const candidate = [req.lastLogTerm, req.lastLogIndex] as const;
  const mine = [voter.lastLogTerm, voter.lastLogIndex] as const;
  const atLeastAsGood = candidate[0] > mine[0] || (candidate[0] === mine[0] && candidate[1] >= mine[1]);
  const free = voter.votedFor == null || voter.votedFor === req.candidateId;
  const grant = req.term >= voter.currentTerm && free && atLeastAsGood;
  return { voteGranted: grant, votedFor: grant ? req.candidateId : voter.votedFor };
}
