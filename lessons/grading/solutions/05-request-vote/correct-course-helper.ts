// Corpus, exercise 5: a correct solution that uses the course's isLogUpToDate helper.

import { isLogUpToDate, type RequestVote, type VoteDecision, type VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "delegates §5.4.1 to the course's helper and refuses early" };

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  const refuse = { voteGranted: false, votedFor: voter.votedFor };
  if (req.term < voter.currentTerm) return refuse;
  if (voter.votedFor !== null && voter.votedFor !== req.candidateId) return refuse;
  if (!isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex)) return refuse;
  return { voteGranted: true, votedFor: req.candidateId };
}
