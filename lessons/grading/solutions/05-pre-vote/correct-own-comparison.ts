// Corpus, exercise 5b: a correct solution with its own up-to-date comparison and early returns.

import type { PreVote, VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "checks the log first and the leader last, with its own §5.4.1 comparison" };

export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  const logOk = req.lastLogTerm > voter.lastLogTerm || (req.lastLogTerm === voter.lastLogTerm && req.lastLogIndex >= voter.lastLogIndex);
  if (!logOk) return false;
  if (req.term <= voter.currentTerm) return false;
  if (voter.leaderRecentlyHeard) return false;
  return true;
}
