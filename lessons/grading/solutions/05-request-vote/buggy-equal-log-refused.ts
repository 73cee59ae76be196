// Corpus, exercise 5: a buggy solution: an equally long log of the same last term is refused.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "uses > for the lengths: a candidate whose log equals the voter's is refused, so a cluster of identical logs never elects anyone" };

function upToDate(voter: VoterState, req: RequestVote): boolean {
  if (req.lastLogTerm !== voter.lastLogTerm) return req.lastLogTerm > voter.lastLogTerm;
  return req.lastLogIndex >= voter.lastLogIndex;
}

export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
  const free = voter.votedFor === null || voter.votedFor === req.candidateId;
  const newer = req.lastLogTerm > voter.lastLogTerm || (req.lastLogTerm === voter.lastLogTerm && req.lastLogIndex > voter.lastLogIndex);
  if (free && newer) return { voteGranted: true, votedFor: req.candidateId };
  return { voteGranted: false, votedFor: voter.votedFor };
}
